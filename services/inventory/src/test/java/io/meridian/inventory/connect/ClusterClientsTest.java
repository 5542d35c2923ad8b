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
        try (KubernetesClient a = ClusterClients.connect(config("https://a.example:6443"));
                KubernetesClient b = ClusterClients.connect(config("https://b.example:6443"))) {
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
        }
    }

    private static Config config(String url) {
        return new ConfigBuilder().withMasterUrl(url).withOauthToken("t").build();
    }
}
