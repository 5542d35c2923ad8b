package io.meridian.observability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import com.sun.net.httpserver.HttpServer;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.ObjectRef;
import io.meridian.contracts.Topic;
import io.meridian.contracts.alert.AlertEvent;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.contracts.cluster.Cloud;
import io.meridian.contracts.cluster.ClusterPhase;
import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.compliance.ComplianceResult;
import io.meridian.contracts.cost.BudgetEvent;
import io.meridian.contracts.metrics.MetricsBatch;
import io.meridian.contracts.placement.PlacementKey;
import io.meridian.contracts.placement.RolloutCompleted;
import io.meridian.contracts.placement.RolloutHalted;
import io.meridian.contracts.placement.WorkloadPlacement;
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
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service against the real broker and database: clusters arrive on fleet.clusters.v1, their metrics
 * endpoints are plain HTTP servers in the test, other services' events are produced as they would be.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "schema", value = "observability"))
@WithTestResource(OidcWiremockTestResource.class)
class ObservabilityComponentTest {

    /** Prometheus metrics, on the management port (the API port does not serve them). */
    @TestHTTPResource(value = "metrics", management = true)
    URL managementMetrics;

    @jakarta.inject.Inject
    io.meridian.observability.domain.SeriesStore series;

    @jakarta.inject.Inject
    io.meridian.observability.messaging.MetricsPublisher metricsPublisher;

    private static final String OPERATOR = Tokens.bearer("olga", Tokens.OPERATOR);
    private static final String VIEWER = Tokens.bearer("vera", Tokens.VIEWER);
    private static final Duration EVENTUALLY = Duration.ofSeconds(30);

    private static CloudEventCollector events;
    private static EventProducer producer;
    private static HttpServer endpoints;
    /** Exposition text per cluster; a cluster without an entry answers 503, "slow" sleeps past the timeout. */
    private static final Map<String, String> expositions = new ConcurrentHashMap<>();

    private static final AtomicLong revisions = new AtomicLong(1);

    @BeforeAll
    static void start() throws IOException {
        String bootstrap = KafkaBroker.shared().bootstrapServers();
        events = CloudEventCollector.collect(
                bootstrap,
                Topic.METRICS.topicName(),
                Topic.ALERTS.topicName(),
                Topic.AUDIT_OBSERVABILITY.topicName(),
                Topic.AUDIT_INVENTORY.deadLetterTopicName(),
                Topic.AUDIT_COST.deadLetterTopicName());
        producer = new EventProducer(bootstrap, "/test/inventory");
        endpoints = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        endpoints.setExecutor(Executors.newCachedThreadPool());
        endpoints.createContext("/", exchange -> {
            String cluster = exchange.getRequestURI().getPath().substring(1);
            String body = expositions.get(cluster);
            if ("slow".equals(body)) {
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] bytes = (body == null ? "down\n" : body).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(body == null ? 503 : 200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        endpoints.start();
    }

    @AfterAll
    static void stop() {
        endpoints.stop(0);
        producer.close();
        events.close();
    }

    // --- metrics collection and health --------------------------------------------------------------------

    @Test
    void scrapesOwnedClustersAndPublishesOneBatchPerScrapeWhileASlowEndpointWaitsAlone() {
        expositions.put("aws-metrics-1", exposition(2, 1.5, 3));
        expositions.put("aws-slow-1", "slow");
        register("aws-slow-1", ClusterPhase.Ready, true);
        register("aws-metrics-1", ClusterPhase.Ready, true);

        List<Received> batches = until(() -> metricsOf("aws-metrics-1"), list -> list.size() >= 3);

        MetricsBatch batch = EventJson.read(batches.getFirst().value(), MetricsBatch.class);
        assertThat(batches.getFirst().key()).isEqualTo("aws-metrics-1");
        assertThat(batches.getFirst().event().type()).isEqualTo(EventType.METRICS_SAMPLED.type());
        assertThat(batch.samples())
                .anySatisfy(s -> {
                    assertThat(s.metric()).isEqualTo("kube_node_status_condition");
                    assertThat(s.labels())
                            .containsEntry("node", "n1")
                            .containsEntry("condition", "Ready")
                            .containsEntry("status", "true");
                })
                .anySatisfy(s -> {
                    assertThat(s.metric()).isEqualTo("istio_tcp_sent_bytes_total");
                    assertThat(s.labels())
                            .containsEntry("destination_cluster", "gcp-b")
                            .hasSize(6);
                    assertThat(s.value()).isEqualTo(123456);
                });
        // The slow endpoint times out on its own; the fast one went on being scraped meanwhile.
        assertThat(metricsOf("aws-slow-1")).isEmpty();
    }

    @Test
    void batchesOfOtherReplicasAreStoredFromTheTopicAndThisReplicasOwnWhenScraped() throws Exception {
        // One key, so one partition: the other replica's batch arrives after this replica's own.
        String cluster = "replicas-1";
        // The consumer starts at the newest records: first make sure it reads this partition.
        Awaits.eventually(EVENTUALLY, () -> {
            producer.send(EventType.METRICS_SAMPLED, cluster, cluster, otherReplicasBatch(cluster, "warm_metric"));
            assertThat(series.select("warm_metric", cluster, id -> true)).hasSize(1);
        });
        Instant at = Instant.now();
        metricsPublisher
                .publish(new MetricsBatch(
                        cluster, at, List.of(new io.meridian.contracts.metrics.Sample("own_metric", Map.of(), 1, at))))
                .get(30, java.util.concurrent.TimeUnit.SECONDS);
        producer.send(EventType.METRICS_SAMPLED, cluster, cluster, otherReplicasBatch(cluster, "other_metric"));
        Awaits.eventually(
                EVENTUALLY,
                () -> assertThat(series.select("other_metric", cluster, id -> true))
                        .hasSize(1));
        // This replica's own batch is not read back: only a scrape stores it.
        assertThat(series.select("own_metric", cluster, id -> true)).isEmpty();

        expositions.put("aws-stored-1", exposition(2, 1.5, 0));
        register("aws-stored-1", ClusterPhase.Ready, true);
        Awaits.eventually(
                EVENTUALLY,
                () -> assertThat(series.select("kube_node_status_condition", "aws-stored-1", id -> true))
                        .isNotEmpty());
    }

    @Test
    void healthShowsEachClusterAndCloudWithReadinessAndSaturation() {
        expositions.put("gcp-health-1", exposition(2, 1.5, 0));
        register("gcp-health-1", ClusterPhase.Ready, true);
        until(() -> metricsOf("gcp-health-1"), list -> !list.isEmpty());

        Awaits.eventually(() -> given().header("Authorization", VIEWER)
                .queryParam("cluster", "gcp-health-1")
                .get("/api/v1/health")
                .then()
                .statusCode(200)
                .body("clusters[0].cluster", equalTo("gcp-health-1"))
                .body("clusters[0].nodes", equalTo(2))
                .body("clusters[0].nodesReady", equalTo(1))
                .body("clusters[0].cpuSaturation", equalTo(0.75f))
                .body("clusters[0].status", equalTo("warning"))
                .body("clusters[0].reasons", hasItem("1 of 2 nodes not Ready"))
                .body("summary.clusters", org.hamcrest.Matchers.greaterThanOrEqualTo(1)));

        // Polled quietly: a failed attempt would print the whole exposition.
        until(
                () -> given().get(managementMetrics)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString(),
                body -> body.contains("meridian_fleet_cluster_cpu_saturation{cloud=\"aws\",cluster=\"gcp-health-1\"}")
                        && body.contains(
                                "meridian_fleet_cluster_nodes_ready{cloud=\"aws\",cluster=\"gcp-health-1\"} 1.0"));
    }

    @Test
    void aNewerClusterEventTypeIsCountedAndSkippedAndATombstoneForgetsTheCluster() {
        String cluster = "aws-newer-1";
        String newer = "io.meridian.inventory.cluster.renamed.v9";
        // A type a newer inventory publishes, before the cluster's first snapshot this version knows.
        producer.send(Topic.CLUSTERS, newer, cluster, cluster, Map.of("clusterId", cluster, "to", "renamed"));
        register(cluster, ClusterPhase.Ready, false);
        Awaits.eventually(() -> assertThat(healthOf(cluster)).containsExactly(cluster));
        assertThat(given().get(managementMetrics)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .containsPattern("meridian_fleet_events_skipped_total\\{[^}]*topic=\"fleet\\.clusters\\.v1\",type=\""
                        + java.util.regex.Pattern.quote(newer) + "\"[^}]*\\} [1-9]");

        // A bare tombstone (compaction's, after a deregistration) removes the cluster from the view.
        producer.tombstone(Topic.CLUSTERS.topicName(), cluster);
        Awaits.eventually(() -> assertThat(healthOf(cluster)).isEmpty());
    }

    // --- alerts ---------------------------------------------------------------------------------------------

    @Test
    void unreachableClusterFiresInhibitsItsNodeAlertsAndResolvesWhenBack() {
        expositions.put("aws-down-1", exposition(1, 0.5, 0));
        register("aws-down-1", ClusterPhase.Ready, true);
        until(() -> metricsOf("aws-down-1"), list -> !list.isEmpty());

        expositions.remove("aws-down-1");
        register("aws-down-1", ClusterPhase.Unreachable, true);

        AlertEvent firing = awaitAlert("ClusterUnreachable", "aws-down-1", EventType.ALERT_FIRING);
        assertThat(firing.severity()).isEqualTo("critical");
        assertThat(firing.labels()).containsEntry("cloud", "aws").containsEntry("alertname", "ClusterUnreachable");
        // Its node is now of unknown readiness: a NodeNotReady alert exists but is inhibited, never announced.
        Awaits.eventually(() -> given().header("Authorization", VIEWER)
                .queryParam("cluster", "aws-down-1")
                .queryParam("alertname", "NodeNotReady")
                .get("/api/v1/alerts")
                .then()
                .statusCode(200)
                .body("[0].state", equalTo("firing"))
                .body("[0].inhibitedBy", hasItem(firing.fingerprint())));
        assertThat(alertsOf("NodeNotReady", "aws-down-1")).isEmpty();

        expositions.put("aws-down-1", exposition(1, 0.5, 0));
        register("aws-down-1", ClusterPhase.Ready, true);
        AlertEvent resolved = awaitAlert("ClusterUnreachable", "aws-down-1", EventType.ALERT_RESOLVED);
        assertThat(resolved.fingerprint()).isEqualTo(firing.fingerprint());
        assertThat(resolved.endsAt()).isNotNull();
        Awaits.eventually(() -> given().header("Authorization", VIEWER)
                .queryParam("cluster", "aws-down-1")
                .queryParam("alertname", "NodeNotReady")
                .get("/api/v1/alerts")
                .then()
                .body("[0].state", equalTo("resolved")));
        assertThat(alertsOf("NodeNotReady", "aws-down-1")).isEmpty();
        assertThat(alertsOf("ClusterUnreachable", "aws-down-1")).hasSize(2);
    }

    @Test
    void aSilenceMutesUntilExpiredAndAnAcknowledgementIsAudited() {
        String silenceId = given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "matchers", List.of(Map.of("label", "cluster", "op", "=", "value", "azure-quiet-1")),
                        "duration", "1h",
                        "comment", "planned maintenance"))
                .post("/api/v1/silences")
                .then()
                .statusCode(201)
                .body("status", equalTo("active"))
                .body("createdBy", equalTo("olga"))
                .extract()
                .path("id");
        register("azure-quiet-1", ClusterPhase.Unreachable, false);

        String fingerprint = until(
                        () -> given().header("Authorization", VIEWER)
                                .queryParam("cluster", "azure-quiet-1")
                                .get("/api/v1/alerts")
                                .then()
                                .statusCode(200)
                                .extract()
                                .<List<Map<String, Object>>>path("$"),
                        list -> !list.isEmpty() && ((List<?>) list.getFirst().get("silencedBy")).contains(silenceId))
                .getFirst()
                .get("fingerprint")
                .toString();
        assertThat(alertsOf("ClusterUnreachable", "azure-quiet-1")).isEmpty();

        given().header("Authorization", OPERATOR)
                .delete("/api/v1/silences/" + silenceId)
                .then()
                .statusCode(200)
                .body("status", equalTo("expired"));
        AlertEvent firing = awaitAlert("ClusterUnreachable", "azure-quiet-1", EventType.ALERT_FIRING);
        assertThat(firing.fingerprint()).isEqualTo(fingerprint);

        given().header("Authorization", VIEWER)
                .contentType(ContentType.JSON)
                .body(Map.of())
                .post("/api/v1/alerts/" + fingerprint + "/acknowledge")
                .then()
                .statusCode(403);
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("comment", "on it"))
                .post("/api/v1/alerts/" + fingerprint + "/acknowledge")
                .then()
                .statusCode(200)
                .body("acknowledgedBy", equalTo("olga"));
        Received audit = events.awaitFirst(
                r -> r.topic().equals(Topic.AUDIT_OBSERVABILITY.topicName())
                        && r.event() != null
                        && EventJson.read(r.value(), AuditRecord.class).action().equals("alert.acknowledged")
                        && EventJson.read(r.value(), AuditRecord.class)
                                .target()
                                .name()
                                .equals(fingerprint),
                EVENTUALLY);
        assertThat(EventJson.read(audit.value(), AuditRecord.class).actor().name())
                .isEqualTo("olga");
        given().header("Authorization", VIEWER)
                .queryParam("acknowledged", "true")
                .queryParam("cluster", "azure-quiet-1")
                .get("/api/v1/alerts")
                .then()
                .body("fingerprint", hasItem(fingerprint));
        given().header("Authorization", VIEWER)
                .queryParam("by", "alertname,cluster")
                .queryParam("cluster", "azure-quiet-1")
                .get("/api/v1/alerts/groups")
                .then()
                .statusCode(200)
                .body("[0].labels.cluster", equalTo("azure-quiet-1"));
    }

    @Test
    void otherServicesEventsRaiseViolationSyncAndBudgetAlerts() {
        register("onprem-events-1", ClusterPhase.Ready, false);
        for (int i = 0; i < 3; i++) {
            ObjectRef object = new ObjectRef("apps", "v1", "Deployment", "shop", "web-" + i);
            ComplianceResult violation = new ComplianceResult(
                    "no-latest",
                    1,
                    "onprem-events-1",
                    object,
                    ComplianceResult.State.Open,
                    ComplianceResult.Severity.HIGH,
                    List.of(),
                    ComplianceResult.Action.AUDIT,
                    "image uses :latest",
                    Instant.now());
            producer.send(EventType.VIOLATION_OPENED, violation.key(), object.name(), violation);
        }
        producer.send(
                EventType.SYNC_REPORTED,
                "policy/onprem-events-1",
                "onprem-events-1",
                new SyncReport(
                        "policy",
                        "onprem-events-1",
                        3,
                        2,
                        List.of(new ObjectOutcome(
                                "admissionregistration" + ".k8s.io/v1",
                                "ValidatingAdmissionPolicy",
                                null,
                                "no-latest",
                                ObjectOutcome.Outcome.Failed,
                                "forbidden")),
                        12,
                        Instant.now()));
        producer.send(
                EventType.BUDGET_THRESHOLD_CROSSED,
                "cluster/onprem-events-1",
                "team-budget",
                new BudgetEvent(
                        "team-budget",
                        "cluster/onprem-events-1",
                        BudgetEvent.Threshold.Reached100,
                        1000,
                        1012.5,
                        1400,
                        "EUR",
                        Instant.now()));

        AlertEvent violations = awaitAlert("PolicyViolations", "onprem-events-1", EventType.ALERT_FIRING);
        assertThat(violations.value()).isEqualTo(3.0);
        AlertEvent sync = awaitAlert("SyncFailed", "onprem-events-1", EventType.ALERT_FIRING);
        assertThat(sync.labels()).containsEntry("owner", "policy");
        AlertEvent budget = EventJson.read(
                events.awaitFirst(
                                r -> r.topic().equals(Topic.ALERTS.topicName())
                                        && r.event() != null
                                        && r.event().type().equals(EventType.ALERT_FIRING.type())
                                        && EventJson.read(r.value(), AlertEvent.class)
                                                .alertName()
                                                .equals("BudgetExceeded")
                                        && "team-budget"
                                                .equals(EventJson.read(r.value(), AlertEvent.class)
                                                        .labels()
                                                        .get("budget")),
                                EVENTUALLY)
                        .value(),
                AlertEvent.class);
        assertThat(budget.value()).isEqualTo(1.0125);
        assertThat(budget.severity()).isEqualTo("critical");

        ComplianceResult closed = new ComplianceResult(
                "no-latest",
                1,
                "onprem-events-1",
                new ObjectRef("apps", "v1", "Deployment", "shop", "web-0"),
                ComplianceResult.State.Closed,
                ComplianceResult.Severity.HIGH,
                List.of(),
                ComplianceResult.Action.AUDIT,
                null,
                Instant.now());
        producer.send(EventType.VIOLATION_CLOSED, closed.key(), "web-0", closed);
        awaitAlert("PolicyViolations", "onprem-events-1", EventType.ALERT_RESOLVED);
    }

    @Test
    void placementFactsRaiseRolloutFailoverAndDegradedAlertsThatSayWhatToDoAndResolveWhenTheyClear() {
        String workload = "checkout-alerts";
        Instant at = Instant.now();
        producer.send(
                EventType.PLACEMENT_DECISION_MADE,
                workload,
                workload,
                placement(workload, at, List.of(), null, List.of()));
        producer.send(
                EventType.ROLLOUT_HALTED,
                PlacementKey.rollout(workload).value(),
                workload,
                new RolloutHalted(workload, 7, "aws-rollout-1", "ProgressDeadlineExceeded", "timed out", at));

        AlertEvent halted = awaitAlert("RolloutHalted", "aws-rollout-1", EventType.ALERT_FIRING);
        assertThat(halted.labels())
                .containsEntry("workload", workload)
                .containsEntry("condition", "ProgressDeadlineExceeded");
        assertThat(halted.annotations().get("summary"))
                .isEqualTo("The rollout of workload checkout-alerts halted on cluster aws-rollout-1:"
                        + " ProgressDeadlineExceeded");
        assertThat(halted.annotations().get("action"))
                .contains("POST /api/v1/workloads/checkout-alerts/rollout/resume")
                .contains("POST /api/v1/workloads/checkout-alerts/rollback");

        // Two AWS clusters vanished at once: the failover is held back, and the cloud spread can no longer be met.
        producer.send(
                EventType.PLACEMENT_DECISION_MADE,
                workload,
                workload,
                placement(
                        workload,
                        at.plusSeconds(1),
                        List.of("cloud: 1 of 2 (no Ready cluster of aws)"),
                        new WorkloadPlacement.Suppression(
                                List.of("aws-lost-1", "aws-lost-2"), "2 of 3 clusters at once", at.plusSeconds(1)),
                        List.of("aws-lost-1")));
        AlertEvent suppressed = awaitAlert("FailoverSuppressed", "aws-lost-2", EventType.ALERT_FIRING);
        assertThat(suppressed.severity()).isEqualTo("critical");
        assertThat(suppressed.annotations().get("action")).contains("POST /api/v1/workloads/checkout-alerts/failover");
        awaitAlert("FailoverSuppressed", "aws-lost-1", EventType.ALERT_FIRING);
        AlertEvent degraded = awaitAlert("WorkloadDegraded", "aws-lost-1", EventType.ALERT_FIRING);
        assertThat(degraded.labels()).containsEntry("workload", workload).containsEntry("condition", "cloud");
        given().header("Authorization", VIEWER)
                .queryParam("cluster", "aws-lost-2")
                .queryParam("alertname", "FailoverSuppressed")
                .get("/api/v1/alerts")
                .then()
                .statusCode(200)
                .body("[0].state", equalTo("firing"))
                .body("[0].labels.workload", equalTo(workload));

        // The rollout finished after a fix, and an operator's approval produced a decision without the suppression.
        producer.send(
                EventType.ROLLOUT_COMPLETED,
                PlacementKey.rollout(workload).value(),
                workload,
                new RolloutCompleted(workload, 7, at.plusSeconds(2)));
        producer.send(
                EventType.PLACEMENT_DECISION_MADE,
                workload,
                workload,
                placement(workload, at.plusSeconds(3), List.of(), null, List.of()));
        assertThat(awaitAlert("RolloutHalted", "aws-rollout-1", EventType.ALERT_RESOLVED)
                        .fingerprint())
                .isEqualTo(halted.fingerprint());
        assertThat(awaitAlert("FailoverSuppressed", "aws-lost-2", EventType.ALERT_RESOLVED)
                        .fingerprint())
                .isEqualTo(suppressed.fingerprint());
        awaitAlert("FailoverSuppressed", "aws-lost-1", EventType.ALERT_RESOLVED);
        assertThat(awaitAlert("WorkloadDegraded", "aws-lost-1", EventType.ALERT_RESOLVED)
                        .fingerprint())
                .isEqualTo(degraded.fingerprint());

        // A newer placement event type is counted and skipped, never judged.
        String newer = "io.meridian.placement.rollout.paused.v9";
        producer.send(
                Topic.PLACEMENT, newer, PlacementKey.rollout(workload).value(), workload, Map.of("workload", workload));
        Awaits.eventually(() -> assertThat(given().get(managementMetrics)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .containsPattern("meridian_fleet_events_skipped_total\\{[^}]*topic=\"fleet\\.placement\\.v1\",type=\""
                        + java.util.regex.Pattern.quote(newer) + "\"[^}]*\\} [1-9]"));
        // The built-in rules are listed with what to do next.
        given().header("Authorization", VIEWER)
                .get("/api/v1/alert-rules/WorkloadDegraded")
                .then()
                .statusCode(200)
                .body("builtIn", equalTo(true))
                .body("rule.annotations.action", org.hamcrest.Matchers.containsString("/placement"));
    }

    @Test
    void customRulesAreValidatedStoredAuditedAndEvaluated() {
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name", "bad name",
                        "condition", Map.of("metric", "x", "function", "rate"),
                        "op", "~",
                        "for", "soon"))
                .post("/api/v1/alert-rules")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("name", "condition.function", "op", "threshold", "for", "summary"));
        Map<String, Object> rule = Map.of(
                "name", "ShopCpuHigh",
                "condition",
                        Map.of(
                                "metric",
                                "container_cpu_usage_cores",
                                "matchers",
                                List.of(Map.of("label", "namespace", "op", "=", "value", "shop")),
                                "aggregate",
                                "sum",
                                "by",
                                List.of("cluster", "namespace")),
                "op", ">",
                "threshold", 0.5,
                "for", "0s",
                "severity", "critical",
                "labels", Map.of("team", "shop"),
                "summary", "shop uses {{ $value }} cores on {{ $labels.cluster }}");
        given().header("Authorization", VIEWER)
                .contentType(ContentType.JSON)
                .body(rule)
                .post("/api/v1/alert-rules")
                .then()
                .statusCode(403);
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(rule)
                .post("/api/v1/alert-rules")
                .then()
                .statusCode(201)
                .body("rule.name", equalTo("ShopCpuHigh"))
                .body("builtIn", equalTo(false));
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(rule)
                .post("/api/v1/alert-rules")
                .then()
                .statusCode(409);
        given().header("Authorization", OPERATOR)
                .delete("/api/v1/alert-rules/ClusterUnreachable")
                .then()
                .statusCode(409);
        given().header("Authorization", VIEWER)
                .get("/api/v1/alert-rules")
                .then()
                .statusCode(200)
                .body(
                        "rule.name",
                        hasItems(
                                "ClusterUnreachable",
                                "NodeNotReady",
                                "HighCpu",
                                "HighMemory",
                                "CrashLooping",
                                "PolicyViolations",
                                "SyncFailed",
                                "BudgetExceeded",
                                "ShopCpuHigh"));

        expositions.put("gcp-shop-1", exposition(1, 0.5, 0));
        register("gcp-shop-1", ClusterPhase.Ready, true);
        AlertEvent firing = awaitAlert("ShopCpuHigh", "gcp-shop-1", EventType.ALERT_FIRING);
        assertThat(firing.labels()).containsEntry("team", "shop").containsEntry("namespace", "shop");
        assertThat(firing.value()).isEqualTo(0.8);
        assertThat(firing.annotations().get("summary")).isEqualTo("shop uses 0.800 cores on gcp-shop-1");

        given().header("Authorization", OPERATOR)
                .delete("/api/v1/alert-rules/ShopCpuHigh")
                .then()
                .statusCode(204);
        awaitAlert("ShopCpuHigh", "gcp-shop-1", EventType.ALERT_RESOLVED);
        events.awaitFirst(
                r -> r.topic().equals(Topic.AUDIT_OBSERVABILITY.topicName())
                        && r.event() != null
                        && EventJson.read(r.value(), AuditRecord.class).action().equals("alert-rule.deleted"),
                EVENTUALLY);
    }

    @Test
    void rejectsBadQueriesAndUnknownThingsAsProblems() {
        given().header("Authorization", VIEWER)
                .queryParam("state", "burning")
                .get("/api/v1/alerts")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("state"));
        given().header("Authorization", VIEWER)
                .queryParam("from", "yesterday")
                .queryParam("limit", 0)
                .get("/api/v1/audit")
                .then()
                .statusCode(400)
                .body("errors.field", hasItems("from", "limit"));
        given().header("Authorization", VIEWER)
                .queryParam("cursor", "!!")
                .get("/api/v1/audit")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("cursor"));
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("matchers", List.of(Map.of("label", "cluster", "op", "=~", "value", ".*"))))
                .post("/api/v1/silences")
                .then()
                .statusCode(400)
                .body("errors.field", hasItems("matchers", "endsAt"));
        // Matchers are RE2, as in Prometheus: a backreference is refused, naming the matcher.
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "matchers",
                        List.of(Map.of("label", "cluster", "op", "=~", "value", "(a)\\1")),
                        "duration",
                        "1h"))
                .post("/api/v1/silences")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("matchers[0].value"));
        given().header("Authorization", VIEWER)
                .get("/api/v1/alerts/0000000000000000")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().header("Authorization", OPERATOR)
                .delete("/api/v1/silences/nope")
                .then()
                .statusCode(404);
        given().get("/api/v1/health").then().statusCode(401);
    }

    // --- audit index ------------------------------------------------------------------------------------------

    @Test
    void indexesAuditRecordsOnceAndAnswersFilteredPagedQueries() {
        Instant base = Instant.parse("2026-03-01T10:00:00Z");
        for (int i = 0; i < 5; i++) {
            AuditRecord record = new AuditRecord(
                    "audit-q-" + i,
                    new AuditRecord.Actor(AuditRecord.ActorType.user, i % 2 == 0 ? "alice-q" : "bob-q"),
                    i < 3 ? "cluster.registered" : "grant.approved",
                    new AuditRecord.Target(i < 3 ? "Cluster" : "Grant", "target-q-" + i, "aws-audit-" + (i % 2)),
                    AuditRecord.Outcome.success,
                    "corr-" + i,
                    i < 3 ? "inventory" : "identity",
                    base.plusSeconds(i),
                    Map.of("n", Integer.toString(i)));
            // Each record on the audit topic of the service that recorded it: the index reads them all.
            Topic topic = Topic.auditFor(record.service()).orElseThrow();
            producer.send(
                    topic,
                    EventType.AUDIT_RECORD_APPENDED,
                    record.key(),
                    record.target().name(),
                    record);
            if (i == 2) {
                producer.send(
                        topic,
                        EventType.AUDIT_RECORD_APPENDED,
                        record.key(),
                        record.target().name(),
                        record);
            }
        }
        producer.sendRaw(
                Topic.AUDIT_INVENTORY.topicName(), "Cluster/broken", "{not json".getBytes(StandardCharsets.UTF_8));
        producer.sendRaw(Topic.AUDIT_COST.topicName(), "Budget/broken", "{not json".getBytes(StandardCharsets.UTF_8));
        AuditRecord after = new AuditRecord(
                "audit-q-after",
                new AuditRecord.Actor(AuditRecord.ActorType.service, "policy"),
                "policy.created",
                new AuditRecord.Target("Policy", "no-latest-q", null),
                AuditRecord.Outcome.success,
                null,
                "policy",
                base.plusSeconds(60),
                Map.of());
        producer.send(Topic.AUDIT_POLICY, EventType.AUDIT_RECORD_APPENDED, after.key(), "no-latest-q", after);

        Awaits.eventually(() -> given().header("Authorization", VIEWER)
                .queryParam("target", "Policy/no-latest-q")
                .get("/api/v1/audit")
                .then()
                .statusCode(200)
                .body("items.id", org.hamcrest.Matchers.contains("audit-q-after")));
        Received dead = events.awaitFirst(
                r -> r.topic().equals(Topic.AUDIT_INVENTORY.deadLetterTopicName()) && "Cluster/broken".equals(r.key()),
                EVENTUALLY);
        assertThat(dead.header("dead-letter-reason")).isNotBlank();
        assertThat(dead.header("dead-letter-topic")).isEqualTo("fleet.audit.inventory.v1");
        // A dead letter goes with the topic it came from, not to one dead-letter topic for every service's trail.
        Received deadOfCost = events.awaitFirst(
                r -> r.topic().equals(Topic.AUDIT_COST.deadLetterTopicName()) && "Budget/broken".equals(r.key()),
                EVENTUALLY);
        assertThat(deadOfCost.header("dead-letter-topic")).isEqualTo("fleet.audit.cost.v1");

        given().header("Authorization", VIEWER)
                .queryParam("actor", "alice-q")
                .get("/api/v1/audit")
                .then()
                .body("items.id", org.hamcrest.Matchers.contains("audit-q-4", "audit-q-2", "audit-q-0"));
        given().header("Authorization", VIEWER)
                .queryParam("action", "cluster.registered")
                .queryParam("cluster", "aws-audit-0")
                .get("/api/v1/audit")
                .then()
                .body("items.id", org.hamcrest.Matchers.contains("audit-q-2", "audit-q-0"))
                .body("items[0].service", equalTo("inventory"))
                .body("items[0].details.n", equalTo("2"));
        given().header("Authorization", VIEWER)
                .queryParam("from", base.plusSeconds(1).toString())
                .queryParam("to", base.plusSeconds(4).toString())
                .get("/api/v1/audit")
                .then()
                .body("items.id", org.hamcrest.Matchers.contains("audit-q-3", "audit-q-2", "audit-q-1"));

        String cursor = given().header("Authorization", VIEWER)
                .queryParam("from", base.toString())
                .queryParam("to", base.plusSeconds(5).toString())
                .queryParam("limit", 2)
                .get("/api/v1/audit")
                .then()
                .body("items.id", org.hamcrest.Matchers.contains("audit-q-4", "audit-q-3"))
                .extract()
                .path("nextCursor");
        String last = given().header("Authorization", VIEWER)
                .queryParam("from", base.toString())
                .queryParam("to", base.plusSeconds(5).toString())
                .queryParam("limit", 2)
                .queryParam("cursor", cursor)
                .get("/api/v1/audit")
                .then()
                .body("items.id", org.hamcrest.Matchers.contains("audit-q-2", "audit-q-1"))
                .extract()
                .path("nextCursor");
        given().header("Authorization", VIEWER)
                .queryParam("from", base.toString())
                .queryParam("to", base.plusSeconds(5).toString())
                .queryParam("limit", 2)
                .queryParam("cursor", last)
                .get("/api/v1/audit")
                .then()
                .body("items.id", org.hamcrest.Matchers.contains("audit-q-0"))
                .body("nextCursor", org.hamcrest.Matchers.nullValue());
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    /** Node CPU {@code perNodeCores} on each of {@code nodes} nodes, node n2 not ready, and some containers. */
    private static String exposition(int nodes, double perNodeCores, long restarts) {
        StringBuilder out = new StringBuilder("# TYPE node_cpu_usage_cores gauge\n");
        for (int n = 1; n <= nodes; n++) {
            out.append("node_cpu_usage_cores{node=\"n")
                    .append(n)
                    .append("\"} ")
                    .append(perNodeCores)
                    .append('\n');
            out.append("node_memory_usage_bytes{node=\"n").append(n).append("\"} 1073741824\n");
            String ready = n == 2 ? "false" : "true";
            for (String status : List.of("true", "false", "unknown")) {
                out.append("kube_node_status_condition{node=\"n")
                        .append(n)
                        .append("\",condition=\"Ready\",status=\"")
                        .append(status)
                        .append("\"} ")
                        .append(status.equals(ready) ? 1 : 0)
                        .append('\n');
            }
        }
        out.append("container_cpu_usage_cores{namespace=\"shop\",pod=\"web-1\",container=\"app\"} 0.5\n");
        out.append("container_cpu_usage_cores{namespace=\"shop\",pod=\"web-2\",container=\"app\"} 0.3\n");
        out.append("container_cpu_usage_cores{namespace=\"kube-system\",pod=\"dns\",container=\"dns\"} 0.9\n");
        out.append("# TYPE kube_pod_container_status_restarts_total counter\n");
        out.append("kube_pod_container_status_restarts_total{namespace=\"shop\",pod=\"web-1\",container=\"app\"} ")
                .append(restarts)
                .append('\n');
        out.append("istio_tcp_sent_bytes_total{source_cluster=\"x\",source_workload=\"web\",source_namespace=\"shop\","
                + "destination_cluster=\"gcp-b\",destination_workload=\"db\",destination_namespace=\"data\"} 123456\n");
        out.append("something_weird NaN\n");
        return out.toString();
    }

    private static MetricsBatch otherReplicasBatch(String cluster, String metric) {
        Instant at = Instant.now();
        return new MetricsBatch(
                cluster, at, List.of(new io.meridian.contracts.metrics.Sample(metric, Map.of(), 2, at)));
    }

    private static void register(String cluster, ClusterPhase phase, boolean withMetrics) {
        String url = withMetrics ? "http://127.0.0.1:" + endpoints.getAddress().getPort() + "/" + cluster : null;
        ClusterSnapshot snapshot = new ClusterSnapshot(
                cluster,
                cluster,
                null,
                Cloud.AWS,
                "eu-west-1",
                "prod",
                Map.of(),
                "https://127.0.0.1:6443",
                url,
                phase,
                List.of(),
                "v1.31.0",
                2,
                4000,
                16L << 30,
                null,
                null,
                List.of(),
                revisions.incrementAndGet(),
                Instant.now());
        producer.send(EventType.CLUSTER_STATUS_CHANGED, cluster, cluster, snapshot);
    }

    /** A decision of placement for a workload on one GCP cluster, Degraded when a spread rule is unmet. */
    private static WorkloadPlacement placement(
            String workload,
            Instant at,
            List<String> unmetSpread,
            WorkloadPlacement.Suppression suppressed,
            List<String> displacedFrom) {
        return new WorkloadPlacement(
                workload,
                7,
                List.of(new WorkloadPlacement.ChosenCluster("gcp-kept-1", "gcp-kept-1", 3, 0.9, null)),
                List.of(),
                unmetSpread,
                !unmetSpread.isEmpty(),
                suppressed,
                displacedFrom.stream()
                        .map(c -> new WorkloadPlacement.Displacement(c, at, null))
                        .toList(),
                0,
                null,
                at);
    }

    /** The clusters the health API shows when asked about one. */
    private static List<String> healthOf(String cluster) {
        return given().header("Authorization", VIEWER)
                .queryParam("cluster", cluster)
                .get("/api/v1/health")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("clusters.cluster", String.class);
    }

    private static <T> T until(java.util.concurrent.Callable<T> value, java.util.function.Predicate<T> done) {
        return org.awaitility.Awaitility.await()
                .atMost(EVENTUALLY)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(value, done::test);
    }

    private static List<Received> metricsOf(String cluster) {
        return events.ofType(EventType.METRICS_SAMPLED.type()).stream()
                .filter(r -> cluster.equals(r.key()))
                .toList();
    }

    private static List<AlertEvent> alertsOf(String alertName, String cluster) {
        return events.all().stream()
                .filter(r -> r.topic().equals(Topic.ALERTS.topicName()) && r.event() != null)
                .map(r -> EventJson.read(r.value(), AlertEvent.class))
                .filter(a -> a.alertName().equals(alertName) && cluster.equals(a.clusterId()))
                .toList();
    }

    private static AlertEvent awaitAlert(String alertName, String cluster, EventType type) {
        Received r = events.awaitFirst(
                rec -> rec.topic().equals(Topic.ALERTS.topicName())
                        && rec.event() != null
                        && rec.event().type().equals(type.type())
                        && EventJson.read(rec.value(), AlertEvent.class)
                                .alertName()
                                .equals(alertName)
                        && cluster.equals(
                                EventJson.read(rec.value(), AlertEvent.class).clusterId()),
                EVENTUALLY);
        assertThat(r.key())
                .isEqualTo(EventJson.read(r.value(), AlertEvent.class).fingerprint());
        return EventJson.read(r.value(), AlertEvent.class);
    }
}
