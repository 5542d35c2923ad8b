package io.meridian.inventory.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.meridian.contracts.cluster.Cloud;
import io.meridian.contracts.cluster.ClusterPhase;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.resource.ResyncMarker.GroupKind;
import io.meridian.inventory.observe.ObservedResourceMapper;
import io.meridian.inventory.observe.WatchedKind;
import io.meridian.inventory.persistence.ObservedStatus;
import io.meridian.inventory.registry.ClusterSpec;
import io.meridian.servicekit.endpoints.EndpointAllowList;
import io.meridian.testsupport.MockCluster;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** One cluster's connection against a simulated API server: reconnecting after outages, and partial relists. */
class ClusterConnectionTest {

    private static final WatchedKind NAMESPACE = new WatchedKind("", "v1", "Namespace", "namespaces", false);
    private static final WatchedKind CLUSTER_ROLE =
            new WatchedKind("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false);

    /** A max back-off well above the 10 s a returning cluster may take to be Ready, and cheap probes every second. */
    private static final ClusterConnection.Timing TIMING = new ClusterConnection.Timing(
            Duration.ofSeconds(1),
            Duration.ofMillis(500),
            2,
            Duration.ofSeconds(15),
            Duration.ofSeconds(5),
            Duration.ofSeconds(60),
            Duration.ofSeconds(1),
            Duration.ofSeconds(3));

    /** Longer than the max back-off: with a doubling back-off (1, 2, 4, 8, 15 s) the next probe is 14 s away. */
    private static final Duration OUTAGE = Duration.ofSeconds(16);

    @Test
    void aClusterBackFromAnOutageLongerThanTheMaxBackoffIsReadyWithinTenSeconds() {
        try (MockCluster cluster = MockCluster.start("outage-1")) {
            cluster.client().namespaces().resource(namespace("shop")).create();
            Recorded recorded = new Recorded();
            ClusterConnection connection = connection(cluster, List.of(NAMESPACE), recorded);
            connection.start();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> recorded.phase() == ClusterPhase.Ready);
                cluster.stop();
                await().atMost(Duration.ofSeconds(10)).until(() -> recorded.phase() == ClusterPhase.Unreachable);

                await().during(OUTAGE)
                        .atMost(OUTAGE.plusSeconds(5))
                        .until(() -> recorded.phase() == ClusterPhase.Unreachable && recorded.deleted.isEmpty());

                cluster.startAgain();
                cluster.client().namespaces().resource(namespace("shop")).create();
                long back = System.nanoTime();
                await().atMost(Duration.ofSeconds(10)).until(() -> recorded.phase() == ClusterPhase.Ready);
                assertThat(Duration.ofNanos(System.nanoTime() - back)).isLessThan(Duration.ofSeconds(10));
                assertThat(recorded.completed).hasSize(2);
            } finally {
                connection.stop(true);
            }
        }
    }

    @Test
    void theResyncMarkerFollowsEveryListedObjectEvenWhenTheInformersHandlersRunLate() {
        try (MockCluster cluster = MockCluster.start("late-handlers-1")) {
            for (int i = 0; i < 20; i++) {
                cluster.client().namespaces().resource(namespace("team-" + i)).create();
            }
            // The first object published waits (until the marker, at most 3 s): fabric8 tells the informers' handlers
            // of the listed objects on its own thread, after the store has them, so a late handler is what a loaded
            // replica has. Consumers take an object the relist did not carry before its marker for gone.
            java.util.concurrent.CountDownLatch marker = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
            List<String> order = new CopyOnWriteArrayList<>();
            Recorded recorded = new Recorded() {
                @Override
                public void observed(ObservedResource resource) {
                    if (first.getAndSet(false)) {
                        try {
                            marker.await(3, java.util.concurrent.TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    order.add(resource.name());
                    super.observed(resource);
                }

                @Override
                public void resyncCompleted(
                        String clusterId, long epoch, int objectCount, List<GroupKind> notResynced) {
                    order.add("(marker)");
                    marker.countDown();
                    super.resyncCompleted(clusterId, epoch, objectCount, notResynced);
                }
            };
            ClusterConnection connection = connection(cluster, List.of(NAMESPACE), recorded);
            connection.start();
            try {
                await().atMost(Duration.ofSeconds(15)).until(() -> recorded.phase() == ClusterPhase.Ready);
                List<String> beforeMarker = order.subList(0, order.indexOf("(marker)"));
                for (int i = 0; i < 20; i++) {
                    String name = "team-" + i;
                    assertThat(beforeMarker)
                            .as("%s published once before the marker", name)
                            .filteredOn(name::equals)
                            .hasSize(1);
                }
                assertThat(recorded.completed.getFirst().objectCount()).isEqualTo(20);
            } finally {
                connection.stop(true);
            }
        }
    }

    @Test
    void aStatusThatCouldNotBeRecordedIsReportedAgainAtTheNextProbe() {
        try (MockCluster cluster = MockCluster.start("unrecorded-1")) {
            cluster.client().namespaces().resource(namespace("shop")).create();
            Recorded recorded = new Recorded();
            // The database is away when the cluster turns Ready: that status is not recorded.
            java.util.concurrent.atomic.AtomicBoolean databaseAway =
                    new java.util.concurrent.atomic.AtomicBoolean(true);
            List<ObservedStatus> refused = new CopyOnWriteArrayList<>();
            ClusterConnection connection = connection(
                    cluster,
                    List.of(NAMESPACE),
                    recorded,
                    window -> false,
                    status -> {
                        if (status.phase() == ClusterPhase.Ready && databaseAway.getAndSet(false)) {
                            refused.add(status);
                            return false;
                        }
                        return recorded.statuses.add(status);
                    },
                    TIMING);
            connection.start();
            try {
                // Nothing changes on the cluster: only the retry can record Ready (a probe each second here).
                await().atMost(Duration.ofSeconds(10)).until(() -> recorded.phase() == ClusterPhase.Ready);
                assertThat(refused).hasSize(1);
            } finally {
                connection.stop(true);
            }
        }
    }

    @Test
    void probesUnansweredWhileThisReplicaRunsLateAreNotCountedAgainstTheCluster() {
        try (MockCluster cluster = MockCluster.start("busy-replica-1")) {
            Recorded recorded = new Recorded();
            java.util.concurrent.atomic.AtomicBoolean busy = new java.util.concurrent.atomic.AtomicBoolean(true);
            ClusterConnection connection = startedWhileBusy(cluster, recorded, busy);
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> recorded.phase() == ClusterPhase.Ready);
                int relists = recorded.completed.size();
                // Every answer now comes after the 500 ms probe timeout, and no object changes meanwhile.
                cluster.latency(Duration.ofSeconds(1));
                // This replica's event loops run late: the silence may be its own, so it is not counted (counted, two
                // failed probes a second apart would make the cluster Unreachable and relist it within 4 s).
                await().during(Duration.ofSeconds(6))
                        .atMost(Duration.ofSeconds(8))
                        .until(() -> recorded.phase() == ClusterPhase.Ready && recorded.completed.size() == relists);
                keepsUpAgainAndTheSilenceIsTheClusters(busy, recorded);
            } finally {
                cluster.latency(Duration.ZERO);
                connection.stop(true);
            }
        }
    }

    @Test
    void aClusterNotConnectedYetIsNotCalledUnreachableForProbesUnansweredWhileThisReplicaRunsLate() {
        try (MockCluster cluster = MockCluster.start("busy-replica-2")) {
            Recorded recorded = new Recorded();
            java.util.concurrent.atomic.AtomicBoolean busy = new java.util.concurrent.atomic.AtomicBoolean(true);
            // Every answer comes after the 500 ms probe timeout from the first probe on: a replica reading a fleet
            // in, whose event loops run late, cannot tell a slow answer from none.
            cluster.latency(Duration.ofSeconds(1));
            ClusterConnection connection = startedWhileBusy(cluster, recorded, busy);
            try {
                // Counted, two failed probes a second apart would make it Unreachable within about 2 s.
                await().during(Duration.ofSeconds(5))
                        .atMost(Duration.ofSeconds(7))
                        .until(() -> recorded.phase() == ClusterPhase.Connecting);
                keepsUpAgainAndTheSilenceIsTheClusters(busy, recorded);
            } finally {
                cluster.latency(Duration.ZERO);
                connection.stop(true);
            }
        }
    }

    @Test
    void aKindThatCannotBeListedIsNamedNotResyncedInTheCompletedMarker() {
        try (MockCluster cluster = MockCluster.start("rbac-denied-1")) {
            holdingShopAndOpsDebug(cluster);
            cluster.forbidKinds(List.of("ClusterRole"));
            Recorded recorded = new Recorded();
            ClusterConnection connection = connection(cluster, List.of(NAMESPACE, CLUSTER_ROLE), recorded);
            connection.start();
            try {
                await().atMost(Duration.ofSeconds(15)).until(() -> !recorded.completed.isEmpty());
                Completed completed = recorded.completed.getFirst();
                assertThat(completed.notResynced())
                        .containsExactly(new GroupKind("rbac.authorization.k8s.io", "ClusterRole"));
                assertThat(completed.objectCount()).isEqualTo(1);
                assertThat(recorded.observed).extracting(ObservedResource::kind).containsOnly("Namespace");
                assertThat(recorded.phase()).isEqualTo(ClusterPhase.Degraded);
            } finally {
                connection.stop(true);
            }
        }
    }

    @Test
    void presenceTellsHeldFromGoneByTheRecordKeyOnceTheKindIsListed() {
        try (MockCluster cluster = MockCluster.start("presence-1")) {
            holdingShopAndOpsDebug(cluster);
            Recorded recorded = new Recorded();
            ClusterConnection connection = connection(cluster, List.of(NAMESPACE, CLUSTER_ROLE), recorded);
            assertThat(connection.presence("presence-1//Namespace//shop"))
                    .as("not connected")
                    .isEqualTo(Presence.UNKNOWN);
            connection.start();
            try {
                await().atMost(Duration.ofSeconds(15)).until(() -> recorded.phase() == ClusterPhase.Ready);
                // Cluster-scoped objects: an empty namespace segment in the record key.
                assertThat(connection.presence("presence-1//Namespace//shop")).isEqualTo(Presence.HELD);
                assertThat(connection.presence("presence-1/rbac.authorization.k8s.io/ClusterRole//ops-debug"))
                        .isEqualTo(Presence.HELD);
                assertThat(connection.presence("presence-1//Namespace//gone")).isEqualTo(Presence.GONE);
                assertThat(connection.presence("presence-1/apps/Deployment/shop/api"))
                        .as("a kind not watched")
                        .isEqualTo(Presence.GONE);
            } finally {
                connection.stop(true);
            }
        }
    }

    @Test
    void kindsListedAfterTheSyncTimeoutAreResyncedOnTheirOwnWithoutRelistingTheOthers() {
        try (MockCluster cluster = MockCluster.start("late-kinds-1")) {
            holdingShopAndOpsDebug(cluster);
            // No list completes within a millisecond: at the connect every kind is late, and each finishes later.
            ClusterConnection.Timing impatient = new ClusterConnection.Timing(
                    TIMING.probeInterval(),
                    TIMING.probeTimeout(),
                    TIMING.failuresBeforeUnreachable(),
                    TIMING.maxBackoff(),
                    Duration.ofMillis(1),
                    TIMING.degradedRetry(),
                    TIMING.reconnectProbeInterval(),
                    TIMING.watchStallTolerance());
            List<String> order = new CopyOnWriteArrayList<>();
            Recorded recorded = new Recorded() {
                @Override
                public void observed(ObservedResource resource) {
                    order.add(resource.kind());
                    super.observed(resource);
                }

                @Override
                public void resyncCompleted(
                        String clusterId, long epoch, int objectCount, List<GroupKind> notResynced) {
                    order.add("(marker " + notResynced + ")");
                    super.resyncCompleted(clusterId, epoch, objectCount, notResynced);
                }
            };
            ClusterConnection connection = connection(
                    cluster,
                    List.of(NAMESPACE, CLUSTER_ROLE),
                    recorded,
                    window -> false,
                    recorded.statuses::add,
                    impatient);
            connection.start();
            try {
                // Ready once both kinds are in, long before the 60 s after which a degraded cluster is relisted.
                await().atMost(Duration.ofSeconds(10)).until(() -> recorded.phase() == ClusterPhase.Ready);

                GroupKind namespaces = new GroupKind("", "Namespace");
                GroupKind clusterRoles = new GroupKind("rbac.authorization.k8s.io", "ClusterRole");
                List<Completed> markers = List.copyOf(recorded.completed);
                assertThat(markers)
                        .extracting(Completed::epoch)
                        .as("one connect, no relist")
                        .containsOnly(markers.getFirst().epoch());
                assertThat(markers.getFirst().notResynced()).isNotEmpty();
                // The latest marker, the one a compacted topic keeps, holds the whole relist.
                assertThat(markers.getLast().notResynced()).isEmpty();
                // A late kind's objects are published before the first marker that no longer names it.
                for (GroupKind kind : List.of(namespaces, clusterRoles)) {
                    Completed resyncing = markers.stream()
                            .filter(m -> !m.notResynced().contains(kind))
                            .findFirst()
                            .orElseThrow();
                    List<String> before = order.subList(0, order.indexOf("(marker " + resyncing.notResynced() + ")"));
                    assertThat(before)
                            .as("published before %s is resynced", kind)
                            .contains(kind.kind());
                }
                // Each late object is published once: by its handler as listed, not again at its kind's resync.
                assertThat(recorded.observed).extracting(ObservedResource::name).containsOnlyOnce("shop", "ops-debug");
                assertThat(recorded.deleted).isEmpty();
            } finally {
                connection.stop(true);
            }
        }
    }

    @Test
    void aKindWhoseWatchCannotBeReopenedIsRelistedAndReportedInsteadOfGoingStaleUnseen() {
        try (MockCluster cluster = MockCluster.start("stalled-watch-1")) {
            holdingShopAndOpsDebug(cluster);
            Recorded recorded = new Recorded();
            ClusterConnection connection = connection(cluster, List.of(NAMESPACE, CLUSTER_ROLE), recorded);
            connection.start();
            try {
                await().atMost(Duration.ofSeconds(15)).until(() -> recorded.phase() == ClusterPhase.Ready);

                // Inventory's RBAC on the cluster loses ClusterRoles; the open watches end (410) and must list again.
                cluster.forbidKinds(List.of("ClusterRole"));
                cluster.expireWatches();

                // The cluster still answers every probe, and Namespaces still list and watch: only a relist finds out,
                // says why, and keeps the ClusterRoles it could not list.
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> recorded.phase() == ClusterPhase.Degraded
                                && syncedMessage(recorded).contains("ClusterRole (KubernetesClientException")
                                && syncedMessage(recorded).contains("forbidden"));
                assertThat(recorded.completed).hasSize(2);
                assertThat(recorded.completed.get(1).epoch())
                        .isGreaterThan(recorded.completed.get(0).epoch());
                assertThat(recorded.completed.get(1).notResynced())
                        .containsExactly(new GroupKind("rbac.authorization.k8s.io", "ClusterRole"));
                assertThat(recorded.deleted).as("nothing reported deleted").isEmpty();
            } finally {
                connection.stop(true);
            }
        }
    }

    /** The cluster holds namespace shop and ClusterRole ops-debug: one object of each kind these tests watch. */
    private static void holdingShopAndOpsDebug(MockCluster cluster) {
        cluster.client().namespaces().resource(namespace("shop")).create();
        cluster.client()
                .rbac()
                .clusterRoles()
                .resource(new ClusterRoleBuilder()
                        .withNewMetadata()
                        .withName("ops-debug")
                        .endMetadata()
                        .build())
                .create();
    }

    private static String syncedMessage(Recorded recorded) {
        return recorded.statuses.getLast().conditions().stream()
                .filter(c -> c.type().equals("Synced"))
                .map(c -> String.valueOf(c.message()))
                .findFirst()
                .orElse("");
    }

    private static ClusterConnection connection(MockCluster cluster, List<WatchedKind> kinds, Recorded recorded) {
        return connection(cluster, kinds, recorded, window -> false);
    }

    private static ClusterConnection connection(
            MockCluster cluster,
            List<WatchedKind> kinds,
            Recorded recorded,
            java.util.function.Predicate<Duration> replicaBusyWithin) {
        return connection(cluster, kinds, recorded, replicaBusyWithin, recorded.statuses::add, TIMING);
    }

    /** A started connection to a cluster holding namespace shop, told that this replica runs late while busy. */
    private static ClusterConnection startedWhileBusy(
            MockCluster cluster, Recorded recorded, java.util.concurrent.atomic.AtomicBoolean busy) {
        cluster.client().namespaces().resource(namespace("shop")).create();
        ClusterConnection connection = connection(cluster, List.of(NAMESPACE), recorded, window -> busy.get());
        connection.start();
        return connection;
    }

    /** Once this replica keeps up again, the same silence is the cluster's: Unreachable soon after. */
    private static void keepsUpAgainAndTheSilenceIsTheClusters(
            java.util.concurrent.atomic.AtomicBoolean busy, Recorded recorded) {
        busy.set(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> recorded.phase() == ClusterPhase.Unreachable);
    }

    private static ClusterConnection connection(
            MockCluster cluster,
            List<WatchedKind> kinds,
            Recorded recorded,
            java.util.function.Predicate<Duration> replicaBusyWithin,
            java.util.function.Predicate<ObservedStatus> statusSink,
            ClusterConnection.Timing timing) {
        String url = cluster.url();
        PinnedEndpoint endpoint = PinnedEndpoint.resolve(
                url,
                u -> EndpointAllowList.of("test.allowed", Optional.empty())
                        .check(u, host -> new InetAddress[] {InetAddress.getLoopbackAddress()}));
        return new ClusterConnection(
                new ClusterSpec(cluster.name(), cluster.name(), Cloud.ONPREM, "dc1", "dev", Map.of(), url, null),
                () -> client(url),
                endpoint,
                "r1",
                kinds,
                timing,
                recorded,
                new ObservedResourceMapper(),
                statusSink,
                name -> {},
                (name, kind, informer) -> {},
                replicaBusyWithin,
                Clock.systemUTC());
    }

    private static KubernetesClient client(String url) {
        return new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(Config.empty())
                        .withMasterUrl(url)
                        .withOauthToken("t")
                        .withConnectionTimeout(1_000)
                        .withRequestTimeout(5_000)
                        .withRequestRetryBackoffLimit(0)
                        .build())
                .build();
    }

    private static io.fabric8.kubernetes.api.model.Namespace namespace(String name) {
        return new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .build();
    }

    record Completed(long epoch, int objectCount, List<GroupKind> notResynced) {}

    /** What a connection sent: its status reports and its feed. */
    static class Recorded implements ResourceFeed {
        final List<ObservedStatus> statuses = new CopyOnWriteArrayList<>();
        final List<ObservedResource> observed = new CopyOnWriteArrayList<>();
        final List<String> deleted = new CopyOnWriteArrayList<>();
        final List<Completed> completed = new CopyOnWriteArrayList<>();

        ClusterPhase phase() {
            return statuses.isEmpty() ? null : statuses.getLast().phase();
        }

        @Override
        public void observed(ObservedResource resource) {
            observed.add(resource);
        }

        @Override
        public void deleted(String clusterId, String key) {
            deleted.add(key);
        }

        @Override
        public void resyncStarted(String clusterId, long epoch) {}

        @Override
        public void resyncCompleted(String clusterId, long epoch, int objectCount, List<GroupKind> notResynced) {
            completed.add(new Completed(epoch, objectCount, notResynced));
        }
    }
}
