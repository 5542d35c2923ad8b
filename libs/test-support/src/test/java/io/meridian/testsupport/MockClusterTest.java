package io.meridian.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A mock cluster behaves like an API server for a client built from its kubeconfig alone. */
class MockClusterTest {

    @Test
    void kubeconfigReachesACrudApiServerThatWatches() {
        try (MockCluster cluster = MockCluster.start("aws-prod-1");
                KubernetesClient client = new KubernetesClientBuilder()
                        .withConfig(Config.fromKubeconfig(cluster.kubeconfig()))
                        .build()) {
            List<String> seen = new CopyOnWriteArrayList<>();
            try (var watch = client.namespaces().watch(new Watcher<Namespace>() {
                @Override
                public void eventReceived(Action action, Namespace resource) {
                    seen.add(action + ":" + resource.getMetadata().getName());
                }

                @Override
                public void onClose(WatcherException cause) {}
            })) {
                client.namespaces()
                        .resource(new NamespaceBuilder()
                                .withNewMetadata()
                                .withName("payments")
                                .endMetadata()
                                .build())
                        .create();
                assertThat(cluster.client().namespaces().withName("payments").get())
                        .isNotNull();
                client.namespaces().withName("payments").delete();
                Awaits.eventually(() -> assertThat(seen).containsExactly("ADDED:payments", "DELETED:payments"));
            }
        }
    }

    @Test
    void answersVersionAndComesBackOnTheSamePortAfterAnOutage() {
        try (MockCluster cluster = MockCluster.start("gcp-dev-1");
                KubernetesClient client = new KubernetesClientBuilder()
                        .withConfig(Config.fromKubeconfig(cluster.kubeconfig()))
                        .build()) {
            assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo(MockCluster.KUBERNETES_VERSION);
            String url = cluster.url();
            cluster.stop();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.getKubernetesVersion())
                    .isInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class);
            cluster.startAgain();
            assertThat(cluster.url()).isEqualTo(url);
            assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo(MockCluster.KUBERNETES_VERSION);
        }
    }

    @Test
    void freshDatabasesAreSeparate() throws Exception {
        PostgresDatabase a = PostgresDatabase.freshDatabase("probe");
        PostgresDatabase b = PostgresDatabase.freshDatabase("probe");
        assertThat(a.database()).isNotEqualTo(b.database());
        try (var c = a.dataSource().getConnection();
                var rs = c.createStatement().executeQuery("select current_database()")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(a.database());
        }
    }
}
