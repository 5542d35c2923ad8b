package io.meridian.inventory.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
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
import java.util.Set;
import java.util.stream.Collectors;
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
     * watches 400 once, and a cluster's informers then stayed deaf until the next relist.) A watch that heard of a
     * deletion resumes after it; one whose objects were deleted while it was cut off is ended with 410 and lists again.
     * (The simulator once sent DELETED events at the object's last version and refused watches from before a deletion
     * outright: fabric8 retried the refused version for ever, and the RoleBinding informer stayed deaf.)
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
                List<String> kinds = new ArrayList<>();
                for (WatchedKind kind : WatchedKinds.withConfigured(List.of())) {
                    SharedIndexInformer<HasMetadata> informer = ClusterInformers.create(client, kind);
                    informers.add(informer);
                    kinds.add(kind.kind());
                    informer.start();
                    if (kind.kind().equals("RoleBinding")) {
                        roleBindings = informer;
                    }
                }
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> informers.stream().allMatch(SharedIndexInformer::isWatching));
                // Heard of before the outage: the RoleBinding watch resumes after this deletion, not before it.
                SharedIndexInformer<HasMetadata> bindings = roleBindings;
                roleBinding(cluster, "before-the-outage");
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> bindings.getStore().getByKey("default/before-the-outage") != null);
                cluster.client()
                        .rbac()
                        .roleBindings()
                        .inNamespace("default")
                        .withName("before-the-outage")
                        .delete();
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> bindings.getStore().getByKey("default/before-the-outage") == null);

                Deployment scaled = cluster.client().apps().deployments().inAnyNamespace().list().getItems().stream()
                        .filter(d ->
                                d.getSpec().getReplicas() != null && d.getSpec().getReplicas() > 1)
                        .findFirst()
                        .orElseThrow();

                SharedIndexInformer<HasMetadata> pods = informers.get(kinds.indexOf("Pod"));
                int podsBefore = pods.getStore().listKeys().size();

                cluster.down(Duration.ofSeconds(3));
                // While the informers are cut off, the cluster's own controllers delete pods: the Pod watch cannot
                // resume from before those deletions, so it is ended with 410 and the informer lists again.
                cluster.hpaScale(
                        scaled.getMetadata().getNamespace(),
                        "Deployment",
                        scaled.getMetadata().getName(),
                        0);
                await().atMost(Duration.ofSeconds(20)).until(cluster::isUp);

                await().atMost(Duration.ofSeconds(30))
                        .alias("every informer watching again")
                        .until(() -> informers.stream().allMatch(SharedIndexInformer::isWatching));
                roleBinding(cluster, "after-the-outage");
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> bindings.getStore().getByKey("default/after-the-outage") != null);
                Set<String> podsNow = cluster.client().pods().inAnyNamespace().list().getItems().stream()
                        .map(p -> p.getMetadata().getNamespace() + "/"
                                + p.getMetadata().getName())
                        .collect(Collectors.toSet());
                assertThat(podsNow)
                        .as("pods the controllers deleted during the outage")
                        .hasSizeLessThan(podsBefore);
                await().atMost(Duration.ofSeconds(20))
                        .alias("the Pod informer holds the pods the cluster holds")
                        .until(() -> Set.copyOf(pods.getStore().listKeys()).equals(podsNow));
            } finally {
                informers.forEach(SharedIndexInformer::stop);
            }
        } finally {
            network.close();
        }
    }

    private static void roleBinding(SimulatedCluster cluster, String name) {
        cluster.client()
                .rbac()
                .roleBindings()
                .inNamespace("default")
                .resource(new RoleBindingBuilder()
                        .withNewMetadata()
                        .withNamespace("default")
                        .withName(name)
                        .endMetadata()
                        .withNewRoleRef()
                        .withApiGroup("rbac.authorization.k8s.io")
                        .withKind("ClusterRole")
                        .withName("view")
                        .endRoleRef()
                        .build())
                .create();
    }
}
