package io.meridian.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A mock cluster is a simulated API server: apply, controllers and expiring watches, as on a real cluster. */
class MockClusterBehaviourTest {

    private static final Duration EVENTUALLY = Duration.ofSeconds(20);

    @Test
    void serverSideApplyRecordsTheManagerAndADeploymentIsRolledOut() {
        try (MockCluster cluster = MockCluster.start("aws-apply-1");
                KubernetesClient client = new KubernetesClientBuilder()
                        .withConfig(Config.fromKubeconfig(cluster.kubeconfig()))
                        .build()) {
            client.namespaces()
                    .resource(ClusterObjects.namespace("payments", "payments"))
                    .create();
            ConfigMap applied = client.configMaps()
                    .inNamespace("payments")
                    .resource(new ConfigMapBuilder()
                            .withNewMetadata()
                            .withName("settings")
                            .endMetadata()
                            .addToData("mode", "fast")
                            .build())
                    .fieldManager("meridian-inventory")
                    .serverSideApply();
            assertThat(applied.getMetadata().getManagedFields())
                    .extracting(ManagedFieldsEntry::getManager, ManagedFieldsEntry::getOperation)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("meridian-inventory", "Apply"));

            client.apps()
                    .deployments()
                    .inNamespace("payments")
                    // Without the status a controller had written: a new Deployment, which the controller rolls out.
                    .resource(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder(
                                    ClusterObjects.deployment("payments", "ledger", "nginx:1.27", 2))
                            .withStatus(null)
                            .build())
                    .create();
            Awaits.eventually(EVENTUALLY, () -> {
                Deployment d = client.apps()
                        .deployments()
                        .inNamespace("payments")
                        .withName("ledger")
                        .get();
                assertThat(d.getStatus().getObservedGeneration())
                        .isEqualTo(d.getMetadata().getGeneration());
                assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(2);
                assertThat(client.pods().inNamespace("payments").list().getItems())
                        .hasSize(2);
            });

            assertThat(cluster.writeRequests())
                    .as("the namespace, the apply and the Deployment; not the controllers' writes")
                    .isEqualTo(3);
            cluster.hpaScale("payments", "Deployment", "ledger", 3);
            Awaits.eventually(
                    EVENTUALLY,
                    () -> assertThat(
                                    client.pods().inNamespace("payments").list().getItems())
                            .hasSize(3));
            assertThat(cluster.writeRequests()).as("and the HPA's").isEqualTo(4);
        }
    }

    @Test
    void expiredWatchesAreGoneAndTheStoreIsEmptyAfterAStartAgain() throws Exception {
        try (MockCluster cluster = MockCluster.start("gcp-expiry-1")) {
            KubernetesClient client = cluster.client();
            CompletableFuture<WatcherException> closed = new CompletableFuture<>();
            try (Watch watch = client.namespaces().watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, io.fabric8.kubernetes.api.model.Namespace resource) {}

                @Override
                public void onClose(WatcherException cause) {
                    closed.complete(cause);
                }
            })) {
                Awaits.eventually(
                        EVENTUALLY, () -> assertThat(cluster.expireWatches()).isEqualTo(1));
                assertThat(closed.get(10, TimeUnit.SECONDS).isHttpGone()).isTrue();
            }

            client.namespaces()
                    .resource(ClusterObjects.namespace("checkout", "checkout"))
                    .create();
            int port = cluster.port();
            cluster.stop();
            cluster.startAgain();
            assertThat(cluster.port()).isEqualTo(port);
            assertThat(cluster.client().namespaces().list().getItems()).isEmpty();
        }
    }
}
