package io.meridian.placement;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.cluster.Cloud;
import io.meridian.contracts.cluster.ClusterPhase;
import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.cluster.Condition;
import io.meridian.contracts.cluster.ConditionStatus;
import io.meridian.contracts.cost.ClusterRatesPublished;
import io.meridian.contracts.desired.DesiredBundle;
import io.meridian.contracts.placement.FailoverMove;
import io.meridian.contracts.placement.RolloutCompleted;
import io.meridian.contracts.placement.RolloutHalted;
import io.meridian.contracts.placement.WorkloadPlacement;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.resource.StatusSummary;
import io.meridian.contracts.sync.ObjectOutcome;
import io.meridian.contracts.sync.SyncReport;
import io.meridian.testsupport.Awaits;
import io.meridian.testsupport.CloudEventCollector;
import io.meridian.testsupport.CloudEventCollector.Received;
import io.meridian.testsupport.EventProducer;
import io.meridian.testsupport.KafkaBroker;
import io.meridian.testsupport.KafkaTestResource;
import io.meridian.testsupport.PostgresTestResource;
import io.meridian.testsupport.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Placement's correctness where workloads meet: two workloads sharing a cluster's one bundle, where one object of one
 * of them fails to apply, and a workload unavailable on a cluster past its {@code failover.unhealthyAfter}. Fed like
 * {@link PlacementComponentTest}: inventory's and cost's streams produced into the real broker by hand, with clusters
 * and workloads of its own.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "schema", value = "placement"))
@WithTestResource(OidcWiremockTestResource.class)
class PlacementCorrectnessComponentTest {

    private static final String ADMIN = Tokens.bearer("ada", Tokens.ADMIN);
    private static final Duration EVENTUALLY = Duration.ofSeconds(45);
    private static final String NAMESPACE = "shop";

    @TestHTTPResource(value = "health/ready", management = true)
    URL readiness;

    private static CloudEventCollector desired;
    private static CloudEventCollector placement;
    private static EventProducer inventory;
    private static EventProducer cost;

    @BeforeAll
    static void kafka() {
        String servers = KafkaBroker.shared().bootstrapServers();
        desired = CloudEventCollector.collect(servers, Topic.DESIRED_PLACEMENT.topicName());
        placement = CloudEventCollector.collect(servers, Topic.PLACEMENT.topicName());
        inventory = new EventProducer(servers, "/meridian/inventory");
        cost = new EventProducer(servers, "/meridian/cost");
    }

    @AfterAll
    static void close() {
        desired.close();
        placement.close();
        inventory.close();
        cost.close();
    }

    // ------------------------------------------------------------------ one failing object, one workload held back

    @Test
    void anObjectThatFailsToApplyHaltsOnlyItsOwnWorkloadsRolloutOnASharedCluster() {
        String scope = "shared-bundle";
        register("s-1", Cloud.AWS, scope, 0.04);
        awaitReady();
        Map<String, Object> rollout = Map.of("canary", 1, "maxInFlight", "1", "pause", "0s", "healthTimeout", "5m");
        create(workload("alpha", scope, "registry.example/alpha:1", Map.of(), Map.of("rollout", rollout)));
        create(workload("bravo", scope, "registry.example/bravo:1", Map.of(), Map.of("rollout", rollout)));
        DesiredBundle both = awaitBundle(
                "s-1",
                b -> generationOf(b, "alpha").isPresent()
                        && generationOf(b, "bravo").isPresent());
        reportApplied("s-1", both.generation());
        observeDeployment("s-1", "alpha", 1, 2);
        observeDeployment("s-1", "bravo", 1, 2);

        // Both get generation 2; the cluster's one bundle carries both.
        replace(workload("alpha", scope, "registry.example/alpha:2", Map.of(), Map.of("rollout", rollout)));
        replace(workload("bravo", scope, "registry.example/bravo:2", Map.of(), Map.of("rollout", rollout)));
        DesiredBundle next = awaitBundle(
                "s-1",
                b -> generationOf(b, "alpha").orElse(0L) == 2
                        && generationOf(b, "bravo").orElse(0L) == 2);

        // Inventory applies it: alpha's Deployment conflicts with another field manager, bravo's objects apply. The
        // bundle generation does not count as applied, since one of its objects failed.
        String conflict = "Apply failed with 1 conflict: conflict with \"kubectl-edit\" using apps/v1: .spec.replicas";
        SyncReport report = new SyncReport(
                "placement",
                "s-1",
                next.generation(),
                both.generation(),
                List.of(
                        outcome("apps/v1", "Deployment", "alpha", ObjectOutcome.Outcome.Conflict, conflict),
                        outcome("v1", "ConfigMap", "alpha-config", ObjectOutcome.Outcome.Unchanged, null),
                        outcome("apps/v1", "Deployment", "bravo", ObjectOutcome.Outcome.Patched, null),
                        outcome("v1", "ConfigMap", "bravo-config", ObjectOutcome.Outcome.Unchanged, null)),
                25,
                Instant.now());
        inventory.send(EventType.SYNC_REPORTED, report.key(), "s-1", report);
        observeDeployment("s-1", "bravo", 2, 2);

        // bravo's own objects applied and it runs available: its rollout completes on the shared cluster.
        awaitEvent(
                EventType.ROLLOUT_COMPLETED,
                RolloutCompleted.class,
                e -> e.workload().equals("bravo") && e.generation() == 2);

        // alpha's rollout halts there, naming its object and inventory's reason.
        RolloutHalted halted = awaitEvent(
                EventType.ROLLOUT_HALTED,
                RolloutHalted.class,
                e -> e.workload().equals("alpha") && e.generation() == 2);
        assertThat(halted.cluster()).isEqualTo("s-1");
        assertThat(halted.condition()).isEqualTo("ApplyFailed");
        assertThat(halted.message()).contains("Deployment/alpha in shop", "Conflict", conflict);
        assertThat(placement.ofType(EventType.ROLLOUT_HALTED.type()).stream()
                        .filter(r -> !r.isTombstone())
                        .map(r -> EventJson.read(r.value(), RolloutHalted.class))
                        .filter(e -> e.workload().equals("bravo")))
                .as("bravo never halted")
                .isEmpty();
    }

    // ------------------------------------------------------------------ a cluster's bundle has a size limit

    @Test
    void aWorkloadThatWouldOverflowAClustersBundleGoesWhereItFitsAndSaysWhy() {
        String scope = "bundle-size";
        register("z-1", Cloud.AWS, scope, 0.02); // the cheapest: every workload wants it
        register("z-2", Cloud.GCP, scope, 0.05);
        awaitReady();
        // Each workload carries a ConfigMap of 200,000 bytes: three fit in z-1's bundle (768 KiB), a fourth does not.
        for (String name : List.of("big-1", "big-2", "big-3", "big-4")) {
            create(big(name, scope, 1, 200_000, List.of()));
            awaitDecision(name, d -> !d.chosen().isEmpty());
        }

        DesiredBundle full = awaitBundle("z-1", b -> generationOf(b, "big-3").isPresent());
        assertThat(EventJson.write(full.objects()).length).isLessThanOrEqualTo(786_432);
        assertThat(generationOf(full, "big-4")).isEmpty();
        awaitBundle("z-2", b -> generationOf(b, "big-4").isPresent());
        WorkloadPlacement fourth = awaitDecision("big-4", d -> !d.chosen().isEmpty());
        assertThat(fourth.chosen())
                .extracting(WorkloadPlacement.ChosenCluster::clusterId)
                .containsExactly("z-2");
        assertThat(fourth.rejected())
                .filteredOn(r -> r.clusterId().equals("z-1"))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.reason()).isEqualTo(WorkloadPlacement.RejectionReason.BundleFull);
                    assertThat(r.detail()).contains("over the limit of 786432");
                });
    }

    /**
     * A workload already in a cluster's bundle is judged by what it holds there, not by its estimate: here an override
     * for GCP clusters doubles inc-1's estimate but not what it holds on the AWS cluster. Five more workloads then fill
     * that bundle; inc-1's next generation, no larger, stays. (It was judged as a newcomer, its estimate against the
     * others' bytes, and moved out of a bundle it fitted in.)
     */
    @Test
    void aWorkloadKeepsItsPlaceInABundleOthersFilledWhenItChangesWithoutGrowing() {
        String scope = "bundle-incumbent";
        register("i-1", Cloud.AWS, scope, 0.02); // the cheapest: every workload wants it
        register("i-2", Cloud.GCP, scope, 0.05);
        awaitReady();
        // inc-1: 120,000 bytes on i-1, estimated at 260,000 (the override counts); five others of 120,000 each.
        List<Map<String, Object>> gcpOnly = List.of(Map.of(
                "clusters",
                Map.of("clouds", List.of("gcp")),
                "manifest",
                "ConfigMap/inc-1-config",
                "mergePatch",
                Map.of("data", Map.of("gcp", "y".repeat(140_000)))));
        create(big("inc-1", scope, 1, 120_000, gcpOnly));
        List<String> names = List.of("inc-1", "inc-2", "inc-3", "inc-4", "inc-5", "inc-6");
        for (String name : names) {
            if (!name.equals("inc-1")) {
                create(big(name, scope, 1, 120_000, List.of()));
            }
            assertThat(awaitDecision(name, d -> !d.chosen().isEmpty()).chosen())
                    .extracting(WorkloadPlacement.ChosenCluster::clusterId)
                    .containsExactly("i-1");
        }
        awaitBundle("i-1", b -> names.stream().allMatch(n -> generationOf(b, n).isPresent()));

        replace(big("inc-1", scope, 2, 120_000, gcpOnly)); // a new image: no larger than before

        WorkloadPlacement kept = awaitDecision("inc-1", d -> d.generation() == 2);
        assertThat(kept.chosen())
                .extracting(WorkloadPlacement.ChosenCluster::clusterId)
                .containsExactly("i-1");
        DesiredBundle bundle = awaitBundle("i-1", b -> generationOf(b, "inc-1").orElse(0L) == 2);
        assertThat(EventJson.write(bundle.objects()).length).isLessThanOrEqualTo(786_432);
        assertThat(names).allSatisfy(n -> assertThat(generationOf(bundle, n)).isPresent());
    }

    /**
     * A workload of one Deployment and a ConfigMap of {@code blobBytes}, on one cluster, at image version {@code v}.
     */
    private static Map<String, Object> big(
            String name, String scope, int v, int blobBytes, List<Map<String, Object>> overrides) {
        Map<String, Object> body = workload(
                name,
                scope,
                "registry.example/" + name + ":" + v,
                Map.of("clusters", Map.of("min", 1, "max", 1)),
                overrides.isEmpty() ? Map.of() : Map.of("overrides", overrides));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> manifests = (List<Map<String, Object>>) body.get("manifests");
        body.put(
                "manifests",
                List.of(manifests.get(0), TestManifests.configMap(name, Map.of("blob", "x".repeat(blobBytes)))));
        return body;
    }

    // ------------------------------------------------------------------ failover.unhealthyAfter

    @Test
    void aWorkloadUnavailableOnAClusterPastUnhealthyAfterMovesMakeBeforeBreakAndSaysWhy() {
        String scope = "unhealthy";
        register("u-1", Cloud.GCP, scope, 0.03);
        register("u-2", Cloud.GCP, scope, 0.04);
        register("u-3", Cloud.GCP, scope, 0.05);
        awaitReady();
        create(workload(
                "hermes",
                scope,
                "registry.example/hermes:1",
                Map.of("clusters", Map.of("min", 2, "max", 2)),
                Map.of("failover", Map.of("after", "30s", "unhealthyAfter", "2s"))));
        for (String c : List.of("u-1", "u-2")) {
            settle(c, "hermes", 1);
        }
        assertThat(latestBundle("u-3")).isEmpty();

        // u-1 stays Ready, but the workload's pods there stop being available.
        observeDeployment("u-1", "hermes", 1, 0);

        FailoverMove started = awaitEvent(
                EventType.FAILOVER_STARTED,
                FailoverMove.class,
                e -> e.workload().equals("hermes"));
        assertThat(started.from()).containsExactly("u-1");
        assertThat(started.to()).containsExactly("u-3");
        assertThat(started.cause()).isEqualTo(FailoverMove.Cause.WorkloadUnhealthy);

        // Make-before-break: the replacement gets the workload while u-1 keeps it until the replacement runs it.
        awaitBundle("u-3", b -> generationOf(b, "hermes").isPresent());
        assertThat(generationOf(latestBundle("u-1").orElseThrow(), "hermes")).contains(1L);
        assertThat(placement.ofType(EventType.FAILOVER_COMPLETED.type()).stream()
                        .filter(r -> !r.isTombstone())
                        .map(r -> EventJson.read(r.value(), FailoverMove.class))
                        .filter(e -> e.workload().equals("hermes")))
                .isEmpty();

        settle("u-3", "hermes", 1);
        FailoverMove completed = awaitEvent(
                EventType.FAILOVER_COMPLETED,
                FailoverMove.class,
                e -> e.workload().equals("hermes"));
        assertThat(completed.from()).containsExactly("u-1");
        assertThat(completed.to()).containsExactly("u-3");
        assertThat(completed.cause()).isEqualTo(FailoverMove.Cause.WorkloadUnhealthy);
        desired.awaitFirst(r -> "placement/u-1".equals(r.key()) && r.isTombstone(), EVENTUALLY);
        WorkloadPlacement after = awaitDecision(
                "hermes",
                d -> d.displaced().stream().anyMatch(x -> x.clusterId().equals("u-1")));
        assertThat(after.chosen())
                .extracting(WorkloadPlacement.ChosenCluster::clusterId)
                .containsExactlyInAnyOrder("u-2", "u-3");
    }

    // ------------------------------------------------------------------ the fleet as inventory and cost tell it

    private static void register(String id, Cloud cloud, String scope, double cpuCoreHour) {
        inventory.send(EventType.CLUSTER_REGISTERED, id, id, snapshot(id, cloud, scope, Instant.now()));
        ObservedResource node = node(id);
        inventory.send(EventType.RESOURCE_OBSERVED, node.key(), id, node);
        ClusterRatesPublished rates =
                new ClusterRatesPublished(id, "USD", cpuCoreHour, cpuCoreHour / 8, 0, 0, 2, Instant.now());
        cost.send(EventType.CLUSTER_RATES_PUBLISHED, rates.key(), id, rates);
    }

    private static ClusterSnapshot snapshot(String id, Cloud cloud, String scope, Instant at) {
        return new ClusterSnapshot(
                id,
                id,
                null,
                cloud,
                cloud == Cloud.AWS ? "eu-west-1" : "europe-west1",
                "staging",
                Map.of("test", scope),
                "https://" + id + ".example",
                null,
                ClusterPhase.Ready,
                List.of(
                        new Condition("Reachable", ConditionStatus.True, "ProbeSucceeded", null, at),
                        new Condition("Ready", ConditionStatus.True, "Ready", null, at)),
                "v1.31.0",
                2,
                8000,
                32L << 30,
                null,
                null,
                List.of(),
                ClusterPhase.Ready.ordinal() + at.toEpochMilli(),
                at);
    }

    private static ObservedResource node(String cluster) {
        Map<String, Object> object = Map.of(
                "apiVersion",
                "v1",
                "kind",
                "Node",
                "metadata",
                Map.of("name", cluster + "-node-1"),
                "status",
                Map.of("allocatable", Map.of("cpu", "7910m", "memory", "31Gi", "pods", "110")));
        return new ObservedResource(
                cluster,
                "",
                "v1",
                "Node",
                null,
                cluster + "-node-1",
                "uid-" + cluster,
                "1",
                Map.of(),
                Map.of(),
                null,
                null,
                List.of(),
                null,
                null,
                new StatusSummary(null, true, null, null, null, Map.of("Ready", "True")),
                Instant.now(),
                1,
                object);
    }

    /** Inventory applied the cluster's latest bundle; the workload's Deployment runs available at that generation. */
    private static void settle(String cluster, String workload, long generation) {
        DesiredBundle bundle =
                awaitBundle(cluster, b -> generationOf(b, workload).orElse(0L) == generation);
        reportApplied(cluster, bundle.generation());
        observeDeployment(cluster, workload, generation, 2);
    }

    private static void reportApplied(String cluster, long bundleGeneration) {
        SyncReport report =
                new SyncReport("placement", cluster, bundleGeneration, bundleGeneration, List.of(), 12, Instant.now());
        inventory.send(EventType.SYNC_REPORTED, report.key(), cluster, report);
    }

    private static ObjectOutcome outcome(
            String apiVersion, String kind, String name, ObjectOutcome.Outcome outcome, String reason) {
        return new ObjectOutcome(apiVersion, kind, NAMESPACE, name, outcome, reason);
    }

    /** The workload's Deployment at {@code generation} with {@code available} of its 2 replicas available. */
    private static void observeDeployment(String cluster, String workload, long generation, int available) {
        boolean ok = available >= 2;
        List<Map<String, Object>> conditions = List.of(Map.of(
                "type",
                "Available",
                "status",
                ok ? "True" : "False",
                "reason",
                ok ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable"));
        Map<String, Object> object = Map.of(
                "apiVersion", "apps/v1",
                "kind", "Deployment",
                "metadata", Map.of("name", workload, "namespace", NAMESPACE, "generation", 7),
                "spec", Map.of("replicas", 2),
                "status",
                        Map.of(
                                "observedGeneration",
                                7,
                                "replicas",
                                2,
                                "availableReplicas",
                                available,
                                "conditions",
                                conditions));
        ObservedResource deployment = new ObservedResource(
                cluster,
                "apps",
                "apps/v1",
                "Deployment",
                NAMESPACE,
                workload,
                "uid-" + cluster + "-" + workload,
                Long.toString(System.nanoTime()),
                Map.of("meridian.io/workload", workload, "app", workload),
                Map.of("meridian.io/workload-generation", Long.toString(generation)),
                null,
                null,
                List.of(),
                null,
                null,
                new StatusSummary(null, ok, 2, available, null, Map.of()),
                Instant.now(),
                1,
                object);
        inventory.send(EventType.RESOURCE_OBSERVED, deployment.key(), cluster, deployment);
    }

    // ------------------------------------------------------------------ workloads through the API

    private static Map<String, Object> workload(
            String name, String scope, String image, Map<String, Object> placementExtras, Map<String, Object> extras) {
        return TestManifests.workload(name, NAMESPACE, scope, image, placementExtras, extras);
    }

    private static void create(Map<String, Object> body) {
        given().header("Authorization", ADMIN)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/workloads")
                .then()
                .statusCode(201);
    }

    private static void replace(Map<String, Object> body) {
        given().header("Authorization", ADMIN)
                .contentType(ContentType.JSON)
                .body(body)
                .put("/api/v1/workloads/" + body.get("name"))
                .then()
                .statusCode(200);
    }

    private void awaitReady() {
        Awaits.eventually(EVENTUALLY, () -> given().get(readiness).then().statusCode(200));
    }

    // ------------------------------------------------------------------ what placement published

    private static Optional<DesiredBundle> latestBundle(String cluster) {
        String key = "placement/" + cluster;
        return desired.all().stream()
                .filter(r -> key.equals(r.key()))
                .max(Comparator.comparingLong(Received::offset))
                .filter(r -> !r.isTombstone())
                .map(r -> EventJson.read(r.value(), DesiredBundle.class));
    }

    private static DesiredBundle awaitBundle(String cluster, Predicate<DesiredBundle> match) {
        return Awaitility.await()
                .atMost(EVENTUALLY)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> latestBundle(cluster).filter(match), Optional::isPresent)
                .orElseThrow();
    }

    private static WorkloadPlacement awaitDecision(String workload, Predicate<WorkloadPlacement> match) {
        return awaitEvent(
                EventType.PLACEMENT_DECISION_MADE,
                WorkloadPlacement.class,
                d -> d.workload().equals(workload) && match.test(d));
    }

    private static <T> T awaitEvent(EventType type, Class<T> data, Predicate<T> match) {
        return Awaitility.await()
                .atMost(EVENTUALLY)
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> placement.ofType(type.type()).stream()
                                .filter(r -> !r.isTombstone())
                                .map(r -> EventJson.read(r.value(), data))
                                .filter(match)
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Optional<Long> generationOf(DesiredBundle bundle, String workload) {
        return bundle.objects().stream()
                .filter(o -> o.get("metadata") instanceof Map<?, ?> m
                        && m.get("labels") instanceof Map<?, ?> labels
                        && workload.equals(labels.get("meridian.io/workload")))
                .map(o -> Long.parseLong(((Map<String, Map<String, String>>) o.get("metadata"))
                        .get("annotations")
                        .get("meridian.io/workload-generation")))
                .max(Long::compare);
    }
}
