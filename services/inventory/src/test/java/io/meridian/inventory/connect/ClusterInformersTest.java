package io.meridian.inventory.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.meridian.fleetsim.Fleet;
import io.meridian.fleetsim.FleetOptions;
import io.meridian.fleetsim.SimulatedCluster;
import io.meridian.inventory.observe.WatchedKind;
import io.meridian.inventory.observe.WatchedKinds;
import io.meridian.servicekit.endpoints.EndpointAllowList;
import io.meridian.testsupport.MockCluster;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterInformersTest {

    private static final WatchedKind CONFIG_MAP = new WatchedKind("", "v1", "ConfigMap", "configmaps", true);

    @Test
    void theInformersStoreHandsOutCopiesSoAReaderThatChangesOneChangesNothingStored() {
        try (MockCluster cluster = MockCluster.start("informer-store-1")) {
            cluster.client()
                    .configMaps()
                    .inNamespace("shop")
                    .resource(new ConfigMapBuilder()
                            .withNewMetadata()
                            .withNamespace("shop")
                            .withName("prices")
                            .endMetadata()
                            .withData(Map.of("currency", "EUR"))
                            .build())
                    .create();
            SharedIndexInformer<HasMetadata> informer = ClusterInformers.create(cluster.client(), CONFIG_MAP);
            try {
                informer.start();
                await().atMost(Duration.ofSeconds(10)).until(informer::hasSynced);

                HasMetadata read = informer.getStore().getByKey("shop/prices");
                read.getMetadata().setLabels(Map.of("changed", "by-a-reader"));

                // fabric8's own store would hand out the object it holds, and the change above would be in it.
                assertThat(informer.getStore()
                                .getByKey("shop/prices")
                                .getMetadata()
                                .getLabels())
                        .doesNotContainKey("changed");
                assertThat(informer.getStore().getByKey("shop/prices")).isNotSameAs(read);
            } finally {
                informer.stop();
            }
        }
    }

    /**
     * A member cluster's API server down for a few seconds: fabric8 reopens the watches it lost, and any it had to open
     * anew while the server refused connections it opens over plain HTTP instead of a WebSocket. Every informer of the
     * connection must be watching again once the server is back, and hear the next change. (The simulator answered such
     * watches 400 once, and a cluster's informers then stayed deaf until the next relist.)
     */
    @Test
    void everyInformerOfAClusterWatchesAgainAndHearsChangesAfterItsApiServerWasDown() throws Exception {
        EndpointAllowList anyLoopback = EndpointAllowList.of("test.allowed", Optional.empty());
        ClusterNetwork network = new ClusterNetwork();
        try (Fleet fleet =
                Fleet.start(FleetOptions.defaults().withClusters(1).withSeed(7).withObjectsPerCluster(200))) {
            SimulatedCluster cluster = fleet.clusters().getFirst();
            String url = cluster.apiServerUrl();
            PinnedEndpoint endpoint = PinnedEndpoint.resolve(
                    url, u -> anyLoopback.check(u, host -> new InetAddress[] {InetAddress.getLoopbackAddress()}));
            network.pin(cluster.name(), endpoint);
            List<SharedIndexInformer<HasMetadata>> informers = new ArrayList<>();
            try (KubernetesClient client = ClusterClients.connect(
                    new ConfigBuilder()
                            .withAutoConfigure(false)
                            .withMasterUrl(url)
                            .withOauthToken("sim-token")
                            .withRequestRetryBackoffLimit(0)
                            .build(),
                    network.vertx(),
                    endpoint)) {
                SharedIndexInformer<HasMetadata> roleBindings = null;
                for (WatchedKind kind : WatchedKinds.withConfigured(List.of())) {
                    SharedIndexInformer<HasMetadata> informer = ClusterInformers.create(client, kind);
                    informers.add(informer);
                    informer.start();
                    if (kind.kind().equals("RoleBinding")) {
                        roleBindings = informer;
                    }
                }
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> informers.stream().allMatch(SharedIndexInformer::hasSynced));

                cluster.down(Duration.ofSeconds(3));
                await().atMost(Duration.ofSeconds(20)).until(cluster::isUp);

                await().atMost(Duration.ofSeconds(30))
                        .alias("every informer watching again")
                        .until(() -> informers.stream().allMatch(SharedIndexInformer::isWatching));
                cluster.client()
                        .rbac()
                        .roleBindings()
                        .inNamespace("default")
                        .resource(new RoleBindingBuilder()
                                .withNewMetadata()
                                .withNamespace("default")
                                .withName("after-the-outage")
                                .endMetadata()
                                .withNewRoleRef()
                                .withApiGroup("rbac.authorization.k8s.io")
                                .withKind("ClusterRole")
                                .withName("view")
                                .endRoleRef()
                                .build())
                        .create();
                SharedIndexInformer<HasMetadata> heard = roleBindings;
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> heard.getStore().getByKey("default/after-the-outage") != null);
            } finally {
                informers.forEach(SharedIndexInformer::stop);
            }
        } finally {
            network.close();
        }
    }
}
