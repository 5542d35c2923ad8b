package io.meridian.placement;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

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
import io.meridian.contracts.placement.FailoverSuppressed;
import io.meridian.contracts.placement.RolloutHalted;
import io.meridian.contracts.placement.RolloutStarted;
import io.meridian.contracts.placement.WorkloadPlacement;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.resource.StatusSummary;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The placement reconciler against the real broker and database, fed the fleet streams as inventory and cost publish
 * them: clusters, nodes and the workload's Deployments on the streams, sync reports of placement's own bundles, and
 * cluster rates. Each test has clusters of its own, selected by a label only its workload selects.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "schema", value = "placement"))
@WithTestResource(OidcWiremockTestResource.class)
class PlacementComponentTest {

    private static final String ADMIN = Tokens.bearer("ada", Tokens.ADMIN);
    private static final String OPERATOR = Tokens.bearer("olga", Tokens.OPERATOR);
    private static final String VIEWER = Tokens.bearer("vera", Tokens.VIEWER);
    private static final Duration EVENTUALLY = Duration.ofSeconds(45);
    private static final String NAMESPACE = "shop";

    @TestHTTPResource(value = "health/ready", management = true)
    URL readiness;

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    private static CloudEventCollector desired;
    private static CloudEventCollector placement;
    private static CloudEventCollector deadLetters;
    private static EventProducer inventory;
    private static EventProducer cost;

    @BeforeAll
    static void kafka() {
        String servers = KafkaBroker.shared().bootstrapServers();
        desired = CloudEventCollector.collect(servers, Topic.DESIRED_PLACEMENT.topicName());
        placement = CloudEventCollector.collect(servers, Topic.PLACEMENT.topicName());
        deadLetters = CloudEventCollector.collect(
                servers,
                Topic.RESOURCES.deadLetterTopicName(),
                Topic.COST.deadLetterTopicName(),
                Topic.SYNC.deadLetterTopicName());
        inventory = new EventProducer(servers, "/meridian/inventory");
        cost = new EventProducer(servers, "/meridian/cost");
    }

    @AfterAll
    static void close() {
        desired.close();
        placement.close();
        deadLetters.close();
        inventory.close();
        cost.close();
    }

    // ------------------------------------------------------------------ (a) placement and its explanation

    @Test
    void placesAWorkloadOnEveryReadyClusterAcrossCloudsAndExplainsTheRest() {
        String scope = "spread";
        register("a-aws-1", Cloud.AWS, scope, ClusterPhase.Ready, 0.04);
        register("a-aws-2", Cloud.AWS, scope, ClusterPhase.Ready, 0.05);
        register("a-gcp-1", Cloud.GCP, scope, ClusterPhase.Ready, 0.06);
        register("a-gcp-2", Cloud.GCP, scope, ClusterPhase.Connecting, 0.03);
        awaitReady();

        create(workload(
                "checkout",
                scope,
                "registry.example/checkout:1",
                Map.of("spread", List.of(Map.of("by", "cloud", "min", 2))),
                Map.of()));

        for (String cluster : List.of("a-aws-1", "a-aws-2", "a-gcp-1")) {
            DesiredBundle bundle =
                    awaitBundle(cluster, b -> generationOf(b, "checkout").isPresent());
            Map<String, Object> deployment =
                    object(bundle, "checkout", "Deployment", "checkout").orElseThrow();
            assertThat(labels(deployment)).containsEntry("meridian.io/workload", "checkout");
            assertThat(annotations(deployment)).containsEntry("meridian.io/workload-generation", "1");
            assertThat(labels(map(map(deployment, "spec"), "template")))
                    .containsEntry("meridian.io/workload", "checkout");
            assertThat(object(bundle, "checkout", "ConfigMap", "checkout-config"))
                    .isPresent();
        }
        assertThat(latestBundle("a-gcp-2")).isEmpty();

        WorkloadPlacement decision = awaitDecision("checkout", d -> d.chosen().size() == 3);
        assertThat(decision.chosen())
                .extracting(WorkloadPlacement.ChosenCluster::clusterId)
                .containsExactlyInAnyOrder("a-aws-1", "a-aws-2", "a-gcp-1");
        assertThat(decision.currency()).isEqualTo("USD");
        assertThat(decision.monthlyCost()).isPositive();
        assertThat(decision.rejected())
                .filteredOn(r -> r.clusterId().equals("a-gcp-2"))
                .singleElement()
                .satisfies(r -> assertThat(r.reason()).isEqualTo(WorkloadPlacement.RejectionReason.NotReady));
        assertThat(decision.degraded()).isFalse();

        given().header("Authorization", VIEWER)
                .get("/api/v1/workloads/checkout/placement")
                .then()
                .statusCode(200)
                .body("decided", equalTo(true))
                .body("chosen.clusterId", hasItem("a-gcp-1"))
                .body("rejected.find { it.clusterId == 'a-gcp-2' }.reason", equalTo("NotReady"))
                .body("currency", equalTo("USD"))
                .body("rollout.phase", equalTo("COMPLETED"))
                .body("clusters.size()", equalTo(3))
                .body("clusters.find { it.clusterId == 'a-aws-1' }.assignedGeneration", equalTo(1));
    }

    // ------------------------------------------------------------------ (b) rollout in waves, halt, rollback

    @Test
    void rollsANewGenerationOutInWavesHaltsAtABrokenCanaryAndRollsBack() {
        String scope = "waves";
        List<String> clusters = List.of("b-1", "b-2", "b-3");
        clusters.forEach(c -> register(c, Cloud.AWS, scope, ClusterPhase.Ready, 0.04));
        awaitReady();
        Map<String, Object> rollout = Map.of("canary", 1, "maxInFlight", "1", "pause", "0s", "healthTimeout", "5m");
        create(workload("cart", scope, "registry.example/cart:1", Map.of(), Map.of("rollout", rollout)));
        clusters.forEach(c -> settle(c, "cart", 1));

        // Resume answers 409 while nothing is halted, naming the phase.
        given().header("Authorization", ADMIN)
                .post("/api/v1/workloads/cart/rollout/resume")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("Completed"));

        // Generation 2 reaches the canary only.
        replace(workload("cart", scope, "registry.example/cart:2", Map.of(), Map.of("rollout", rollout)));
        RolloutStarted started = awaitEvent(
                EventType.ROLLOUT_STARTED,
                RolloutStarted.class,
                e -> e.workload().equals("cart") && e.generation() == 2);
        assertThat(started.waves()).containsExactly(List.of("b-1"), List.of("b-2"), List.of("b-3"));
        awaitBundle("b-1", b -> generationOf(b, "cart").orElse(0L) == 2);
        assertThat(generationOf(latestBundle("b-2").orElseThrow(), "cart")).contains(1L);
        assertThat(generationOf(latestBundle("b-3").orElseThrow(), "cart")).contains(1L);

        // The canary applies it and runs it available: the next wave gets it.
        settle("b-1", "cart", 2);
        awaitBundle("b-2", b -> generationOf(b, "cart").orElse(0L) == 2);
        assertThat(generationOf(latestBundle("b-3").orElseThrow(), "cart")).contains(1L);
        settle("b-2", "cart", 2);
        awaitBundle("b-3", b -> generationOf(b, "cart").orElse(0L) == 2);
        settle("b-3", "cart", 2);
        awaitEvent(
                EventType.ROLLOUT_COMPLETED,
                Map.class,
                e -> "cart".equals(e.get("workload")) && ((Number) e.get("generation")).longValue() == 2);

        // Generation 3 is broken: the canary gives up progressing, and the rollout halts there.
        replace(workload("cart", scope, "registry.example/cart:broken", Map.of(), Map.of("rollout", rollout)));
        DesiredBundle canary = awaitBundle("b-1", b -> generationOf(b, "cart").orElse(0L) == 3);
        reportApplied("b-1", canary.generation());
        observeDeployment(
                "b-1",
                "cart",
                3,
                0,
                List.of(Map.of(
                        "type", "Progressing",
                        "status", "False",
                        "reason", "ProgressDeadlineExceeded",
                        "message", "ReplicaSet \"web-5d8\" has timed out progressing.",
                        "lastTransitionTime", Instant.now().toString())));
        RolloutHalted halted = awaitEvent(
                EventType.ROLLOUT_HALTED, RolloutHalted.class, e -> e.workload().equals("cart") && e.generation() == 3);
        assertThat(halted.cluster()).isEqualTo("b-1");
        assertThat(halted.condition()).isEqualTo("ProgressDeadlineExceeded");
        assertThat(generationOf(latestBundle("b-2").orElseThrow(), "cart")).contains(2L);
        assertThat(generationOf(latestBundle("b-3").orElseThrow(), "cart")).contains(2L);
        given().header("Authorization", VIEWER)
                .get("/api/v1/workloads/cart/placement")
                .then()
                .statusCode(200)
                .body("rollout.phase", equalTo("HALTED"))
                .body("rollout.haltedCluster", equalTo("b-1"))
                .body("rollout.haltReason", equalTo("ProgressDeadlineExceeded"))
                .body("clusters.find { it.clusterId == 'b-1' }.condition", equalTo("ProgressDeadlineExceeded"));
        given().header("Authorization", ADMIN)
                .post("/api/v1/workloads/cart/rollout/resume")
                .then()
                .statusCode(202)
                .body("command", equalTo("resume"));

        // A rollback is a new generation with the good content, rolled out like any other.
        given().header("Authorization", ADMIN)
                .post("/api/v1/workloads/cart/rollback")
                .then()
                .statusCode(200);
        awaitEvent(
                EventType.ROLLOUT_STARTED,
                RolloutStarted.class,
                e -> e.workload().equals("cart") && e.generation() == 4);
        DesiredBundle rolledBack =
                awaitBundle("b-1", b -> generationOf(b, "cart").orElse(0L) == 4);
        assertThat(image(object(rolledBack, "cart", "Deployment", "cart").orElseThrow()))
                .isEqualTo("registry.example/cart:2");
    }

    // ------------------------------------------------------------------ (c) failover, make-before-break

    @Test
    void failsOverFromALostClusterMakeBeforeBreakAndSaysWhatItCosts() {
        String scope = "failover";
        register("c-1", Cloud.AWS, scope, ClusterPhase.Ready, 0.03);
        register("c-2", Cloud.GCP, scope, ClusterPhase.Ready, 0.04);
        register("c-3", Cloud.AWS, scope, ClusterPhase.Ready, 0.05);
        register("c-4", Cloud.GCP, scope, ClusterPhase.Ready, 0.08);
        awaitReady();
        create(workload(
                "payments",
                scope,
                "registry.example/payments:1",
                Map.of("clusters", Map.of("min", 3, "max", 3)),
                Map.of("failover", Map.of("after", "2s"))));
        for (String c : List.of("c-1", "c-2", "c-3")) {
            awaitBundle(c, b -> generationOf(b, "payments").isPresent());
            settle(c, "payments", 1);
        }
        assertThat(latestBundle("c-4")).isEmpty();

        lose("c-2", Cloud.GCP, scope);
        FailoverMove started = awaitEvent(
                EventType.FAILOVER_STARTED,
                FailoverMove.class,
                e -> e.workload().equals("payments"));
        assertThat(started.from()).containsExactly("c-2");
        assertThat(started.to()).containsExactly("c-4");
        assertThat(started.monthlyCostDelta()).isPositive();
        assertThat(started.summary()).startsWith("+").endsWith(" USD/month");

        // The replacement gets the workload; the lost cluster keeps it until the replacement runs it.
        awaitBundle("c-4", b -> generationOf(b, "payments").isPresent());
        assertThat(generationOf(latestBundle("c-2").orElseThrow(), "payments")).contains(1L);

        settle("c-4", "payments", 1);
        FailoverMove completed = awaitEvent(
                EventType.FAILOVER_COMPLETED,
                FailoverMove.class,
                e -> e.workload().equals("payments"));
        assertThat(completed.from()).containsExactly("c-2");
        assertThat(completed.to()).containsExactly("c-4");
        Received withdrawn = desired.awaitFirst(r -> "placement/c-2".equals(r.key()) && r.isTombstone(), EVENTUALLY);
        assertThat(withdrawn.offset()).isPositive();
        WorkloadPlacement after = awaitDecision(
                "payments",
                d -> d.displaced().stream().anyMatch(x -> x.clusterId().equals("c-2")));
        assertThat(after.chosen())
                .extracting(WorkloadPlacement.ChosenCluster::clusterId)
                .containsExactlyInAnyOrder("c-1", "c-3", "c-4");
    }

    // ------------------------------------------------------------------ (d) suppression

    @Test
    void holdsAFailoverBackWhenTooManyClustersVanishAtOnceUntilAnOperatorApproves() {
        String scope = "suppress";
        register("d-1", Cloud.AWS, scope, ClusterPhase.Ready, 0.03);
        register("d-2", Cloud.AWS, scope, ClusterPhase.Ready, 0.04);
        register("d-3", Cloud.GCP, scope, ClusterPhase.Ready, 0.05);
        register("d-4", Cloud.GCP, scope, ClusterPhase.Ready, 0.06);
        register("d-5", Cloud.GCP, scope, ClusterPhase.Ready, 0.07);
        awaitReady();
        create(workload(
                "ledger",
                scope,
                "registry.example/ledger:1",
                Map.of("clusters", Map.of("min", 3, "max", 3)),
                Map.of("failover", Map.of("after", "1s"))));
        for (String c : List.of("d-1", "d-2", "d-3")) {
            awaitBundle(c, b -> generationOf(b, "ledger").isPresent());
            settle(c, "ledger", 1);
        }

        // Nothing to approve yet.
        given().header("Authorization", ADMIN)
                .post("/api/v1/workloads/ledger/failover")
                .then()
                .statusCode(409)
                .body("detail", containsString("no failover"));

        lose("d-1", Cloud.AWS, scope);
        lose("d-2", Cloud.AWS, scope);
        FailoverSuppressed suppressed = awaitEvent(
                EventType.FAILOVER_SUPPRESSED,
                FailoverSuppressed.class,
                e -> e.workload().equals("ledger"));
        assertThat(suppressed.unreachableClusters()).containsExactly("d-1", "d-2");
        assertThat(suppressed.reason()).contains("maxFraction");
        // Nothing moved: no spare got it, the lost clusters keep it, and the explanation says why.
        assertThat(latestBundle("d-4")).isEmpty();
        assertThat(latestBundle("d-5")).isEmpty();
        assertThat(generationOf(latestBundle("d-1").orElseThrow(), "ledger")).contains(1L);
        given().header("Authorization", VIEWER)
                .get("/api/v1/workloads/ledger/placement")
                .then()
                .statusCode(200)
                .body("suppressed.unreachableClusters", equalTo(List.of("d-1", "d-2")))
                .body("chosen.clusterId", containsInAnyOrder("d-1", "d-2", "d-3"));
        assertThat(placement.ofType(EventType.FAILOVER_STARTED.type()))
                .noneMatch(r -> "ledger/failover".equals(r.key()));

        // A viewer may not approve; an operator may not move a workload that can reach production clusters.
        given().header("Authorization", VIEWER)
                .post("/api/v1/workloads/ledger/failover")
                .then()
                .statusCode(403);
        given().header("Authorization", OPERATOR)
                .post("/api/v1/workloads/ledger/failover")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("fleet-admin"));
        given().header("Authorization", ADMIN)
                .post("/api/v1/workloads/ledger/failover")
                .then()
                .statusCode(202)
                .body("command", equalTo("failover"));

        FailoverMove started = awaitEvent(
                EventType.FAILOVER_STARTED,
                FailoverMove.class,
                e -> e.workload().equals("ledger"));
        assertThat(started.from()).containsExactly("d-1", "d-2");
        assertThat(started.to()).containsExactly("d-4", "d-5");
        awaitBundle("d-4", b -> generationOf(b, "ledger").isPresent());
        awaitBundle("d-5", b -> generationOf(b, "ledger").isPresent());
    }

    // ------------------------------------------------------------------ (e) manual failback

    @Test
    void givesAReturnedClusterItsShareBackOnlyWhenAnOperatorSaysSo() {
        String scope = "failback";
        register("f-1", Cloud.AWS, scope, ClusterPhase.Ready, 0.03);
        register("f-2", Cloud.GCP, scope, ClusterPhase.Ready, 0.04);
        register("f-3", Cloud.AWS, scope, ClusterPhase.Ready, 0.05);
        register("f-4", Cloud.GCP, scope, ClusterPhase.Ready, 0.09);
        awaitReady();
        create(workload(
                "search",
                scope,
                "registry.example/search:1",
                Map.of("clusters", Map.of("min", 3, "max", 3)),
                Map.of("failover", Map.of("after", "1s", "failback", "Manual"))));
        for (String c : List.of("f-1", "f-2", "f-3")) {
            awaitBundle(c, b -> generationOf(b, "search").isPresent());
            settle(c, "search", 1);
        }
        lose("f-2", Cloud.GCP, scope);
        awaitBundle("f-4", b -> generationOf(b, "search").isPresent());
        settle("f-4", "search", 1);
        awaitEvent(
                EventType.FAILOVER_COMPLETED,
                FailoverMove.class,
                e -> e.workload().equals("search"));
        desired.awaitFirst(r -> "placement/f-2".equals(r.key()) && r.isTombstone(), EVENTUALLY);

        // f-2 is back, but the workload fails back by hand only: it waits, and says so.
        inventory.send(
                EventType.CLUSTER_STATUS_CHANGED,
                "f-2",
                "f-2",
                snapshot("f-2", Cloud.GCP, scope, ClusterPhase.Ready, Instant.now()));
        awaitDecision(
                "search",
                d -> d.displaced().stream().anyMatch(x -> x.clusterId().equals("f-2") && x.readyAgainSince() != null));
        assertThat(latestBundle("f-2")).isEmpty();

        given().header("Authorization", ADMIN)
                .contentType(ContentType.JSON)
                .body(Map.of("clusters", List.of("f-2")))
                .post("/api/v1/workloads/search/failback")
                .then()
                .statusCode(202)
                .body("clusters", equalTo(List.of("f-2")));
        // Make-before-break again: f-2 gets the share, f-4 keeps it until f-2 runs it.
        awaitBundle("f-2", b -> generationOf(b, "search").isPresent());
        assertThat(generationOf(latestBundle("f-4").orElseThrow(), "search")).contains(1L);
        settle("f-2", "search", 1);
        FailoverMove back = awaitEvent(
                EventType.FAILBACK_COMPLETED,
                FailoverMove.class,
                e -> e.workload().equals("search"));
        assertThat(back.from()).containsExactly("f-4");
        assertThat(back.to()).containsExactly("f-2");
        assertThat(back.monthlyCostDelta()).isNegative();
        desired.awaitFirst(r -> "placement/f-4".equals(r.key()) && r.isTombstone(), EVENTUALLY);
        // The approval was used up: f-2 is no longer displaced, so a second one has nothing to act on.
        given().header("Authorization", ADMIN)
                .contentType(ContentType.JSON)
                .body(Map.of("clusters", List.of("f-2")))
                .post("/api/v1/workloads/search/failback")
                .then()
                .statusCode(409);
    }

    // ------------------------------------------------------------------ deletion, shared clusters

    @Test
    void aDeletedWorkloadLeavesItsClustersAndTheOthersThereStay() {
        String scope = "shared";
        register("g-1", Cloud.AWS, scope, ClusterPhase.Ready, 0.03);
        register("g-2", Cloud.GCP, scope, ClusterPhase.Ready, 0.04);
        awaitReady();
        create(workload("front", scope, "registry.example/front:1", Map.of(), Map.of()));
        create(workload("back", scope, "registry.example/back:1", Map.of(), Map.of()));
        for (String c : List.of("g-1", "g-2")) {
            DesiredBundle both = awaitBundle(
                    c,
                    b -> generationOf(b, "front").isPresent()
                            && generationOf(b, "back").isPresent());
            assertThat(both.objects()).hasSize(4);
        }

        given().header("Authorization", ADMIN)
                .delete("/api/v1/workloads/front")
                .then()
                .statusCode(204);

        for (String c : List.of("g-1", "g-2")) {
            DesiredBundle left = awaitBundle(c, b -> generationOf(b, "front").isEmpty());
            assertThat(generationOf(left, "back")).contains(1L);
            assertThat(left.objects()).hasSize(2);
        }
        // Its facts leave the compacted topic too.
        placement.awaitFirst(r -> "front".equals(r.key()) && r.isTombstone(), EVENTUALLY);
        placement.awaitFirst(r -> "front/rollout".equals(r.key()) && r.isTombstone(), EVENTUALLY);
        given().header("Authorization", VIEWER)
                .get("/api/v1/workloads/front/placement")
                .then()
                .statusCode(404);
    }

    // ------------------------------------------------------------------ commands, streams, health

    @Test
    void commandsNameWhatIsWrong() {
        given().header("Authorization", ADMIN)
                .post("/api/v1/workloads/nothing-here/failover")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().header("Authorization", VIEWER)
                .get("/api/v1/workloads/nothing-here/placement")
                .then()
                .statusCode(404);
        create(workload("quiet", "nowhere", "registry.example/quiet:1", Map.of(), Map.of()));
        given().header("Authorization", ADMIN)
                .contentType(ContentType.JSON)
                .body(Map.of("clusters", List.of()))
                .post("/api/v1/workloads/quiet/failback")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("clusters"));
        given().header("Authorization", ADMIN)
                .contentType(ContentType.JSON)
                .body(Map.of("clusters", List.of("a-aws-1")))
                .post("/api/v1/workloads/quiet/failback")
                .then()
                .statusCode(409)
                .body("detail", containsString("did not fail over from a-aws-1"));
        given().header("Authorization", ADMIN)
                .post("/api/v1/workloads/quiet/rollout/resume")
                .then()
                .statusCode(409)
                .body("detail", containsString("not Halted"));
    }

    @Test
    void unreadableRecordsGoToTheirDeadLetterTopicsAndTheStreamsGoOn() {
        byte[] garbage = "not a cloud event".getBytes(StandardCharsets.UTF_8);
        inventory.sendRaw(Topic.RESOURCES.topicName(), "e-1//Node//broken", garbage);
        cost.sendRaw(Topic.COST.topicName(), "rates/e-1", garbage);
        inventory.sendRaw(Topic.SYNC.topicName(), "placement/e-1", garbage);
        Received resource = deadLetters.awaitFirst(r -> "e-1//Node//broken".equals(r.key()), EVENTUALLY);
        assertThat(resource.topic()).isEqualTo(Topic.RESOURCES.deadLetterTopicName());
        assertThat(resource.header("dead-letter-reason")).isNotBlank();
        Received rates = deadLetters.awaitFirst(r -> "rates/e-1".equals(r.key()), EVENTUALLY);
        assertThat(rates.topic()).isEqualTo(Topic.COST.deadLetterTopicName());
        Received report = deadLetters.awaitFirst(r -> "placement/e-1".equals(r.key()), EVENTUALLY);
        assertThat(report.topic()).isEqualTo(Topic.SYNC.deadLetterTopicName());
        assertThat(report.header("dead-letter-reason")).isNotBlank();

        // What follows is read: a cluster with rates and capacity takes a workload.
        register("e-1", Cloud.AZURE, "after-dlq", ClusterPhase.Ready, 0.02);
        create(workload("after-dlq", "after-dlq", "registry.example/x:1", Map.of(), Map.of()));
        awaitBundle("e-1", b -> generationOf(b, "after-dlq").isPresent());
        WorkloadPlacement decision = awaitDecision("after-dlq", d -> !d.chosen().isEmpty());
        assertThat(decision.chosen().getFirst().monthlyCost()).isNotNull().isPositive();
        // A report the database refuses (a NUL in its cluster id) is dead-lettered by itself; the cluster's report
        // polled with it is processed: the cluster shows the generation applied.
        SyncReport refused = new SyncReport("placement", "e-1\u0000", 1, 1, List.of(), 12, Instant.now());
        inventory.send(EventType.SYNC_REPORTED, refused.key(), "e-1", refused);
        settle("e-1", "after-dlq", 1);
        Received letter = deadLetters.awaitFirst(r -> refused.key().equals(r.key()), EVENTUALLY);
        assertThat(letter.topic()).isEqualTo(Topic.SYNC.deadLetterTopicName());
        assertThat(letter.header("dead-letter-reason")).contains("0x00");
        org.awaitility.Awaitility.await()
                .atMost(EVENTUALLY)
                .untilAsserted(() -> given().header("Authorization", VIEWER)
                        .get("/api/v1/workloads/after-dlq/placement")
                        .then()
                        .statusCode(200)
                        .body("clusters.find { it.clusterId == 'e-1' }.appliedGeneration", equalTo(1)));
    }

    @Test
    void readinessWaitsForTheFleetViewAndMetricsCountTheWork() {
        awaitReady();
        given().get(readiness)
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'placement-fleet-view' }.status", equalTo("UP"));
        given().get(metrics)
                .then()
                .statusCode(200)
                .body(containsString("meridian_placement_workloads"))
                .body(containsString("meridian_placement_reconcile_seconds"))
                .body(containsString("meridian_placement_decisions_total"));
    }

    // ------------------------------------------------------------------ the fleet as inventory and cost tell it

    private static void register(String id, Cloud cloud, String scope, ClusterPhase phase, double cpuCoreHour) {
        inventory.send(EventType.CLUSTER_REGISTERED, id, id, snapshot(id, cloud, scope, phase, Instant.now()));
        ObservedResource node = node(id);
        inventory.send(EventType.RESOURCE_OBSERVED, node.key(), id, node);
        ClusterRatesPublished rates =
                new ClusterRatesPublished(id, "USD", cpuCoreHour, cpuCoreHour / 8, 0, 0, 2, Instant.now());
        cost.send(EventType.CLUSTER_RATES_PUBLISHED, rates.key(), id, rates);
    }

    /** The cluster became Unreachable just now. */
    private static void lose(String id, Cloud cloud, String scope) {
        inventory.send(
                EventType.CLUSTER_STATUS_CHANGED,
                id,
                id,
                snapshot(id, cloud, scope, ClusterPhase.Unreachable, Instant.now()));
    }

    private static ClusterSnapshot snapshot(String id, Cloud cloud, String scope, ClusterPhase phase, Instant at) {
        boolean reachable = phase != ClusterPhase.Unreachable;
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
                phase,
                List.of(
                        new Condition(
                                "Reachable",
                                reachable ? ConditionStatus.True : ConditionStatus.False,
                                reachable ? "ProbeSucceeded" : "ProbeFailed",
                                null,
                                at),
                        new Condition(
                                "Ready",
                                phase == ClusterPhase.Ready ? ConditionStatus.True : ConditionStatus.False,
                                phase.name(),
                                null,
                                at)),
                "v1.31.0",
                2,
                8000,
                32L << 30,
                null,
                null,
                List.of(),
                phase.ordinal() + at.toEpochMilli(),
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

    /** Inventory applied the cluster's latest bundle, and the workload's Deployment runs available at {@code generation}. */
    private static void settle(String cluster, String workload, long generation) {
        DesiredBundle bundle =
                awaitBundle(cluster, b -> generationOf(b, workload).orElse(0L) == generation);
        reportApplied(cluster, bundle.generation());
        observeDeployment(
                cluster,
                workload,
                generation,
                2,
                List.of(Map.of("type", "Available", "status", "True", "reason", "MinimumReplicasAvailable")));
    }

    private static void reportApplied(String cluster, long bundleGeneration) {
        SyncReport report =
                new SyncReport("placement", cluster, bundleGeneration, bundleGeneration, List.of(), 12, Instant.now());
        inventory.send(EventType.SYNC_REPORTED, report.key(), cluster, report);
    }

    private static void observeDeployment(
            String cluster, String workload, long generation, int available, List<Map<String, Object>> conditions) {
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
                new StatusSummary(null, available >= 2, 2, available, null, Map.of()),
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

    private static DesiredBundle awaitBundle(String cluster, java.util.function.Predicate<DesiredBundle> match) {
        return org.awaitility.Awaitility.await()
                .atMost(EVENTUALLY)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> latestBundle(cluster).filter(match), Optional::isPresent)
                .orElseThrow();
    }

    private static WorkloadPlacement awaitDecision(
            String workload, java.util.function.Predicate<WorkloadPlacement> match) {
        return awaitEvent(
                EventType.PLACEMENT_DECISION_MADE,
                WorkloadPlacement.class,
                d -> d.workload().equals(workload) && match.test(d));
    }

    private static <T> T awaitEvent(EventType type, Class<T> data, java.util.function.Predicate<T> match) {
        return org.awaitility.Awaitility.await()
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

    private static Optional<Long> generationOf(DesiredBundle bundle, String workload) {
        return bundle.objects().stream()
                .filter(o -> workload.equals(labels(o).get("meridian.io/workload")))
                .map(o -> Long.parseLong(annotations(o).get("meridian.io/workload-generation")))
                .max(Long::compare);
    }

    private static Optional<Map<String, Object>> object(
            DesiredBundle bundle, String workload, String kind, String name) {
        return bundle.objects().stream()
                .filter(o -> kind.equals(o.get("kind"))
                        && name.equals(map(o, "metadata").get("name"))
                        && workload.equals(labels(o).get("meridian.io/workload")))
                .findFirst();
    }

    @SuppressWarnings("unchecked")
    private static String image(Map<String, Object> deployment) {
        List<Object> containers = (List<Object>)
                map(map(map(deployment, "spec"), "template"), "spec").get("containers");
        return (String) ((Map<String, Object>) containers.getFirst()).get("image");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> labels(Map<String, Object> object) {
        return (Map<String, String>) map(object, "metadata").getOrDefault("labels", Map.of());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> annotations(Map<String, Object> object) {
        return (Map<String, String>) map(object, "metadata").getOrDefault("annotations", Map.of());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String field) {
        return parent.get(field) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
