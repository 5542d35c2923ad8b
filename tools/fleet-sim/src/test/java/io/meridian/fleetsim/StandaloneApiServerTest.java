package io.meridian.fleetsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A single simulated API server, as tests use one for "a cluster". */
class StandaloneApiServerTest {

    @Test
    void startsEmptyRunsControllersAndComesBackEmptyOnTheSamePort() {
        try (StandaloneApiServer server = StandaloneApiServer.start("standalone-1", Duration.ofMillis(50));
                KubernetesClient client = WatchExpiryTest.client(server)) {
            assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo(ClusterContents.KUBERNETES_VERSION);
            assertThat(client.namespaces().list().getItems()).isEmpty();
            client.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName("apps")
                            .endMetadata()
                            .build())
                    .create();
            client.apps()
                    .deployments()
                    .inNamespace("apps")
                    .resource(WorkloadControllersTest.deployment("apps", "api", "nginx:1.27", 2, null))
                    .create();

            Deployment available = await().atMost(Duration.ofSeconds(20))
                    .until(
                            () -> client.apps()
                                    .deployments()
                                    .inNamespace("apps")
                                    .withName("api")
                                    .get(),
                            d -> d.getStatus() != null
                                    && Integer.valueOf(2).equals(d.getStatus().getAvailableReplicas()));
            assertThat(available.getStatus().getObservedGeneration()).isEqualTo(1L);
            // No nodes in an empty cluster: pods go to a node that is not in the store.
            assertThat(client.pods().inNamespace("apps").list().getItems())
                    .hasSize(2)
                    .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isEqualTo("sim-node-1"));

            // The client's writes count; the controllers' do not, nor does status churn; the HPA's does.
            assertThat(server.writeRequests()).isEqualTo(2);
            server.statusChurn(Duration.ofMillis(50));
            server.hpaScale("apps", "Deployment", "api", 3);
            await().atMost(Duration.ofSeconds(20))
                    .until(() ->
                            client.pods().inNamespace("apps").list().getItems().size() == 3);
            server.statusChurn(Duration.ZERO);
            assertThat(server.writeRequests()).isEqualTo(3);

            String url = server.url();
            server.stop();
            assertThat(server.isUp()).isFalse();
            server.startEmpty();
            assertThat(server.url()).isEqualTo(url);
            assertThat(client.namespaces().list().getItems()).isEmpty();
            assertThat(client.apps().deployments().inAnyNamespace().list().getItems())
                    .isEmpty();
        }
    }
}
