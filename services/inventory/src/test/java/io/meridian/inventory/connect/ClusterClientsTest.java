package io.meridian.inventory.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterClientsTest {

    @Test
    void clientsOfDifferentClustersShareOneSerialization() {
        var vertx = io.vertx.core.Vertx.vertx();
        try (KubernetesClient a = connect("https://a.example:6443", vertx);
                KubernetesClient b = connect("https://b.example:6443", vertx)) {
            assertThat(a.getMasterUrl().getHost()).isEqualTo("a.example");
            assertThat(b.getMasterUrl().getHost()).isEqualTo("b.example");
            assertThat(a.getKubernetesSerialization()).isSameAs(b.getKubernetesSerialization());
            // and it still knows the typed model
            RoleBinding binding = a.getKubernetesSerialization()
                    .convertValue(
                            Map.of(
                                    "apiVersion", "rbac.authorization.k8s.io/v1",
                                    "kind", "RoleBinding",
                                    "metadata", Map.of("name", "view")),
                            RoleBinding.class);
            assertThat(binding.getMetadata().getName()).isEqualTo("view");
        } finally {
            vertx.close();
        }
    }

    private static KubernetesClient connect(String url, io.vertx.core.Vertx vertx) {
        var endpoint = PinnedEndpoint.resolve(
                url,
                u -> io.meridian.servicekit.endpoints.EndpointAllowList.of("test.allowed", java.util.Optional.empty())
                        .check(u, host -> new java.net.InetAddress[] {java.net.InetAddress.getLoopbackAddress()}));
        return ClusterClients.connect(config(url), vertx, endpoint);
    }

    private static Config config(String url) {
        return new ConfigBuilder().withMasterUrl(url).withOauthToken("t").build();
    }
}
