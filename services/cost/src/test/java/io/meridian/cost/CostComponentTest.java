package io.meridian.cost;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.cluster.Cloud;
import io.meridian.contracts.cost.BudgetEvent;
import io.meridian.contracts.cost.ClusterRatesPublished;
import io.meridian.contracts.cost.CostSummary;
import io.meridian.contracts.fleet.FleetStreams;
import io.meridian.contracts.fleet.RatesEvent;
import io.meridian.contracts.metrics.MetricsBatch;
import io.meridian.contracts.metrics.Sample;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.cost.reconcile.BudgetWatch;
import io.meridian.cost.reconcile.CostModel;
import io.meridian.cost.reconcile.RatesPublisher;
import io.meridian.cost.reconcile.WindowCloser;
import io.meridian.testsupport.Awaits;
import io.meridian.testsupport.CloudEventCollector;
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
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cost service on the real broker and database: a two-cloud fleet and its usage fed as inventory and
 * observability publish them; allocation, closed windows with their summaries, prices, budgets and recommendations.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "schema", value = "cost"))
@WithTestResource(OidcWiremockTestResource.class)
class CostComponentTest {

    /** Prometheus metrics, on the management port (the API port does not serve them). */
    @TestHTTPResource(value = "metrics", management = true)
    URL managementMetrics;

    private static final String VIEWER = Tokens.bearer("vera", Tokens.VIEWER);
    private static final String OPERATOR = Tokens.bearer("olga", Tokens.OPERATOR);
    private static final Instant HOUR = Instant.parse("2026-11-25T10:00:00Z");
    private static final String WINDOW = "2026-11-25T10:00:00Z,2026-11-25T11:00:00Z";

    private static CloudEventCollector cost;
    private static CloudEventCollector deadLetters;
    private static CloudEventCollector clusterDeadLetters;
    private static EventProducer producer;

    @Inject
    MutableClock clock;

    @Inject
    WindowCloser closer;

    @Inject
    BudgetWatch budgets;

    @Inject
    CostModel model;

    @Inject
    RatesPublisher rates;

    @BeforeAll
    static void kafka() {
        String servers = KafkaBroker.shared().bootstrapServers();
        cost = CloudEventCollector.collect(servers, Topic.COST.topicName());
        deadLetters = CloudEventCollector.collect(servers, Topic.METRICS.deadLetterTopicName());
        clusterDeadLetters = CloudEventCollector.collect(servers, Topic.CLUSTERS.deadLetterTopicName());
        producer = new EventProducer(servers, "/meridian/inventory");
        fleet();
    }

    @AfterAll
    static void close() {
        cost.close();
        deadLetters.close();
        clusterDeadLetters.close();
        producer.close();
    }

    /** Two clusters: AWS with a payments API that calls Kafka on GCP heavily, and GCP with a data namespace. */
    private static void fleet() {
        producer.send(
                EventType.CLUSTER_REGISTERED, "aws-a", "aws-a", FleetEvents.cluster("aws-a", Cloud.AWS, "us-east-1"));
        producer.send(
                EventType.CLUSTER_REGISTERED, "gcp-b", "gcp-b", FleetEvents.cluster("gcp-b", Cloud.GCP, "us-central1"));
        List<ObservedResource> objects = List.of(
                FleetEvents.node("aws-a", "ip-10-0-0-1", "m6i.xlarge", "us-east-1", Map.of()),
                FleetEvents.node(
                        "aws-a",
                        "ip-10-0-0-2",
                        "m6i.xlarge",
                        "us-east-1",
                        Map.of("eks.amazonaws.com/capacityType", "SPOT")),
                FleetEvents.node("gcp-b", "gke-b-1", "e2-standard-4", "us-central1", Map.of()),
                FleetEvents.namespace("aws-a", "payments", Map.of("team", "payments")),
                FleetEvents.namespace("aws-a", "kube-system", Map.of()),
                FleetEvents.namespace("gcp-b", "data", Map.of("team", "data")),
                FleetEvents.pod(
                        "aws-a",
                        "payments",
                        "api-1",
                        "ip-10-0-0-1",
                        "api",
                        2000,
                        4096,
                        Map.of("app", "api", "meridian.io/portable", "true"),
                        "api-data"),
                FleetEvents.pod(
                        "aws-a",
                        "payments",
                        "api-2",
                        "ip-10-0-0-2",
                        "api",
                        2000,
                        4096,
                        Map.of("app", "api", "meridian.io/portable", "true"),
                        null),
                FleetEvents.pod("aws-a", "kube-system", "coredns-1", "ip-10-0-0-1", "coredns", 100, 70, Map.of(), null),
                FleetEvents.pod(
                        "gcp-b", "data", "kafka-0", "gke-b-1", "kafka", 1000, 2048, Map.of("app", "kafka"), null),
                FleetEvents.claim("aws-a", "payments", "api-data", "gp3", 50),
                FleetEvents.volume("aws-a", "pvc-1234", "gp3", 50));
        for (ObservedResource r : objects) {
            producer.send(EventType.RESOURCE_OBSERVED, r.key(), r.name(), r);
        }
        // Two scrapes of aws-a in the 10:00 hour: usage, and 20 GB sent by payments/api to data/kafka on GCP.
        for (int i = 0; i < 2; i++) {
            Instant at = HOUR.plus(Duration.ofMinutes(5 + 10L * i));
            List<Sample> samples = new ArrayList<>();
            for (String pod : List.of("api-1", "api-2")) {
                samples.add(FleetEvents.sample(
                        "container_cpu_usage_cores",
                        Map.of("namespace", "payments", "pod", pod, "container", "api"),
                        0.05,
                        at));
                samples.add(FleetEvents.sample(
                        "container_memory_working_set_bytes",
                        Map.of("namespace", "payments", "pod", pod, "container", "api"),
                        300.0 * (1 << 20),
                        at));
            }
            samples.add(FleetEvents.sample(
                    "container_cpu_usage_cores",
                    Map.of("namespace", "kube-system", "pod", "coredns-1", "container", "coredns"),
                    0.01,
                    at));
            samples.add(FleetEvents.sample(
                    "istio_tcp_sent_bytes_total",
                    Map.of(
                            "source_cluster",
                            "aws-a",
                            "source_workload",
                            "api",
                            "source_namespace",
                            "payments",
                            "destination_cluster",
                            "gcp-b",
                            "destination_workload",
                            "kafka",
                            "destination_namespace",
                            "data"),
                    1e12 + i * 20e9,
                    at));
            producer.send(EventType.METRICS_SAMPLED, "aws-a", "aws-a", new MetricsBatch("aws-a", at, samples));
        }
    }

    /** Runs a service operation the way its timers do: on a Vert.x context, as Hibernate Reactive requires. */
    private static <T> T onVertx(java.util.function.Supplier<io.smallrye.mutiny.Uni<T>> operation) {
        try {
            return io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(operation);
        } catch (Throwable e) {
            throw new AssertionError("operation failed", e);
        }
    }

    private JsonPath allocation(String window, String aggregate) {
        return given().header("Authorization", VIEWER)
                .queryParam("window", window)
                .queryParam("aggregate", aggregate)
                .when()
                .get("/api/v1/allocation")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static double sumOfItems(JsonPath report) {
        return report.getList("items.cost.totalCost", Float.class).stream()
                .mapToDouble(Float::doubleValue)
                .sum();
    }

    @Test
    void theOpenHourIsAllocatedOnDemandAndEveryAggregateAddsUpToTheAssets() {
        clock.set(Instant.parse("2026-11-25T12:30:00Z"));
        // Half an hour of two m6i.xlarge (one spot at 35 %) and one e2-standard-4, and 50 GiB of gp3.
        double expected = 0.5 * (0.192 + 0.192 * 0.35 + 0.134012) + 50 * 0.08 / 730 * 0.5;
        Awaits.eventually(() -> assertThat(allocation("2026-11-25T12:00:00Z,2026-11-25T13:00:00Z", "cluster")
                        .getDouble("assetTotal"))
                .isCloseTo(expected, within(1e-6)));

        for (String aggregate : List.of("cloud", "cluster", "namespace", "workload", "label:team")) {
            JsonPath report = allocation("2026-11-25T12:00:00Z,2026-11-25T13:00:00Z", aggregate);
            assertThat(report.getDouble("assetTotal")).isPositive();
            assertThat(sumOfItems(report)).as(aggregate).isCloseTo(report.getDouble("assetTotal"), within(1e-4));
            assertThat(report.getInt("openWindows")).isEqualTo(1);
        }
        // kube-system is shared: spread over payments, never shown on its own
        assertThat(allocation("2026-11-25T12:00:00Z,2026-11-25T13:00:00Z", "namespace")
                        .getList("items.name"))
                .contains("payments", "data", "__idle__")
                .doesNotContain("kube-system");
        assertThat(allocation("2026-11-25T12:00:00Z,2026-11-25T13:00:00Z", "label:team")
                        .getList("items.name"))
                .contains("payments", "data");
    }

    @Test
    void aClosedHourIsPersistedOncePublishesSummariesAndChargesEgressToTheSender() {
        clock.set(Instant.parse("2026-11-25T11:03:00Z"));
        // The whole fleet and both scrapes are in before the hour is closed for good.
        double fullHour = 0.192 + 0.192 * 0.35 + 0.134012 + 50 * 0.08 / 730 + 1.8;
        Awaits.eventually(() -> assertThat(allocation(WINDOW, "cluster").getDouble("assetTotal"))
                .isCloseTo(fullHour, within(1e-6)));
        Awaits.eventually(() -> {
            onVertx(() -> closer.closeDue());
            assertThat(allocation(WINDOW, "cluster").getInt("closedWindows")).isEqualTo(1);
        });
        int again = onVertx(() -> closer.closeDue());
        assertThat(again).isZero();

        JsonPath byCluster = allocation(WINDOW, "cluster");
        assertThat(byCluster.getInt("openWindows")).isZero();
        assertThat(sumOfItems(byCluster)).isCloseTo(byCluster.getDouble("assetTotal"), within(1e-4));
        // 20 GB out of AWS to GCP at 0.09 per GB
        JsonPath byWorkload = allocation(WINDOW, "workload");
        int api = byWorkload.getList("items.name").indexOf("payments/Deployment/api");
        assertThat(byWorkload.getDouble("items[" + api + "].cost.networkCost")).isCloseTo(1.8, within(1e-6));

        var summaries = cost.awaitType(EventType.COST_SUMMARY_COMPUTED.type(), 1, Duration.ofSeconds(30));
        List<CostSummary> ofHour = summaries.stream()
                .map(r -> EventJson.read(r.value(), CostSummary.class))
                .filter(s -> s.windowStart().equals(HOUR))
                .toList();
        assertThat(ofHour)
                .extracting(CostSummary::scope)
                .contains(
                        "cloud:aws",
                        "cluster:aws-a",
                        "cluster:gcp-b",
                        "namespace:aws-a/payments",
                        "label:team=payments")
                .doesNotHaveDuplicates();
        CostSummary awsCluster = ofHour.stream()
                .filter(s -> s.scope().equals("cluster:aws-a"))
                .findFirst()
                .orElseThrow();
        assertThat(awsCluster.networkCost()).isCloseTo(1.8, within(1e-6));
        // The closed hour's figures are on the Prometheus endpoint for dashboards.
        String metrics = given().when()
                .get(managementMetrics)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(metrics)
                .containsPattern("meridian_cost_cluster_hourly\\w*\\{[^}]*cluster=\"aws-a\"")
                .containsPattern("meridian_cost_namespace_hourly\\w*\\{[^}]*namespace=\"payments\"")
                .contains("meridian_cost_windows_closed_total");
        assertThat(awsCluster.totalCost()).isCloseTo(0.192 + 0.192 * 0.35 + 50 * 0.08 / 730 + 1.8, within(1e-6));
    }

    @Test
    void chattyPairsAcrossCloudsAndOversizedRequestsAreRecommended() {
        clock.set(Instant.parse("2026-11-25T10:40:00Z"));
        Awaits.eventually(() -> {
            JsonPath report = given().header("Authorization", VIEWER)
                    .queryParam("hours", 2)
                    .when()
                    .get("/api/v1/recommendations")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(report.getList("items.kind")).contains("colocate", "rightsize");
            int colocate = report.getList("items.kind").indexOf("colocate");
            assertThat(report.getString("items[" + colocate + "].target"))
                    .isEqualTo("aws-a/payments/api <-> gcp-b/data/kafka");
            assertThat(report.getDouble("items[" + colocate + "].monthlySavings"))
                    .isGreaterThan(100);
            int rightsize = report.getList("items.kind").indexOf("rightsize");
            assertThat(report.getString("items[" + rightsize + "].target")).isEqualTo("aws-a/payments/Deployment/api");
        });
        given().header("Authorization", VIEWER)
                .queryParam("hours", 0)
                .when()
                .get("/api/v1/recommendations")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("hours"));
    }

    @Test
    void aBudgetCrossedIsAnnouncedOncePerThreshold() {
        clock.set(Instant.parse("2026-11-25T10:50:00Z"));
        Awaits.eventually(() -> assertThat(allocation(WINDOW, "label:team").getList("items.name"))
                .contains("payments"));
        String id = given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "payments team", "scope", "label:team=payments", "monthlyAmount", 0.5))
                .when()
                .post("/api/v1/budgets")
                .then()
                .statusCode(201)
                .body("scope", equalTo("label:team=payments"))
                .extract()
                .path("id");

        onVertx(() -> budgets.checkAll());
        onVertx(() -> budgets.checkAll());

        Awaits.eventually(() -> {
            List<BudgetEvent> events = cost.ofType(EventType.BUDGET_THRESHOLD_CROSSED.type()).stream()
                    .map(r -> EventJson.read(r.value(), BudgetEvent.class))
                    .filter(e -> e.budgetId().equals(id))
                    .toList();
            assertThat(events)
                    .extracting(BudgetEvent::threshold)
                    .containsExactlyInAnyOrder(
                            BudgetEvent.Threshold.Reached80,
                            BudgetEvent.Threshold.Reached100,
                            BudgetEvent.Threshold.ForecastExceeded);
            assertThat(events).allSatisfy(e -> assertThat(e.spendToDate()).isGreaterThan(0.5));
        });
        given().header("Authorization", VIEWER)
                .when()
                .get("/api/v1/budgets/" + id)
                .then()
                .statusCode(200)
                .body("announced.size()", equalTo(3));
        given().header("Authorization", VIEWER)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "x", "scope", "label:team=payments", "monthlyAmount", 1))
                .when()
                .post("/api/v1/budgets")
                .then()
                .statusCode(403);
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "x", "scope", "team", "monthlyAmount", -1))
                .when()
                .post("/api/v1/budgets")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.hasItems("scope", "monthlyAmount"));
        given().header("Authorization", VIEWER)
                .when()
                .get("/api/v1/budgets/nope")
                .then()
                .statusCode(404);
    }

    @Test
    void priceOverridesAreValidatedPersistedAndChangeTheAllocation() {
        clock.set(Instant.parse("2026-11-25T13:30:00Z"));
        String window = "2026-11-25T13:00:00Z,2026-11-25T14:00:00Z";
        Awaits.eventually(() ->
                assertThat(allocation(window, "cluster").getList("items.name")).contains("gcp-b"));
        double before = allocation(window, "cluster").getDouble("assetTotal");

        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "kind",
                        "instance",
                        "cloud",
                        "gcp",
                        "region",
                        "us-central1",
                        "key",
                        "e2-standard-4",
                        "price",
                        1.134012,
                        "note",
                        "committed-use test"))
                .when()
                .put("/api/v1/prices/overrides")
                .then()
                .statusCode(201)
                .body("id", equalTo("instance:gcp:us-central1:e2-standard-4"));
        // One more dollar per hour for half an hour
        assertThat(allocation(window, "cluster").getDouble("assetTotal")).isCloseTo(before + 0.5, within(1e-6));
        given().header("Authorization", VIEWER)
                .when()
                .get("/api/v1/prices")
                .then()
                .statusCode(200)
                .body("date", equalTo("2026-11-01"))
                .body("overrides.id", hasItem("instance:gcp:us-central1:e2-standard-4"));

        given().header("Authorization", VIEWER)
                .contentType(ContentType.JSON)
                .body(Map.of("kind", "instance", "cloud", "gcp", "key", "e2-standard-4", "price", 1))
                .when()
                .put("/api/v1/prices/overrides")
                .then()
                .statusCode(403);
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("kind", "flavour", "cloud", "mars", "key", "x", "price", -1))
                .when()
                .put("/api/v1/prices/overrides")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.hasItems("kind", "cloud", "price"));

        given().header("Authorization", OPERATOR)
                .when()
                .delete("/api/v1/prices/overrides/instance:gcp:us-central1:e2-standard-4")
                .then()
                .statusCode(204);
        assertThat(allocation(window, "cluster").getDouble("assetTotal")).isCloseTo(before, within(1e-6));
        given().header("Authorization", OPERATOR)
                .when()
                .delete("/api/v1/prices/overrides/instance:gcp:us-central1:e2-standard-4")
                .then()
                .statusCode(404);
    }

    @Test
    void badQueriesAreProblemsNamingTheField() {
        given().header("Authorization", VIEWER)
                .queryParam("window", "last-tuesday")
                .when()
                .get("/api/v1/allocation")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("window"));
        given().header("Authorization", VIEWER)
                .queryParam("aggregate", "pod")
                .when()
                .get("/api/v1/allocation")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("aggregate"));
        given().when().get("/api/v1/allocation").then().statusCode(401);
    }

    @Test
    void anUnreadableMetricsRecordIsDeadLetteredAndTheConsumerGoesOn() {
        producer.sendRaw(Topic.METRICS.topicName(), "aws-a", "not json".getBytes(StandardCharsets.UTF_8));
        var dead = deadLetters.awaitFirst(r -> "aws-a".equals(r.key()), Duration.ofSeconds(30));
        assertThat(dead.header("dead-letter-reason")).isNotBlank();

        Instant at = Instant.parse("2026-11-25T09:30:00Z");
        producer.send(
                EventType.METRICS_SAMPLED,
                "gcp-b",
                "gcp-b",
                new MetricsBatch(
                        "gcp-b",
                        at,
                        List.of(FleetEvents.sample(
                                "container_cpu_usage_cores",
                                Map.of("namespace", "data", "pod", "kafka-0", "container", "kafka"),
                                3.0,
                                at))));
        clock.set(Instant.parse("2026-11-25T09:45:00Z"));
        // kafka-0 used 3 cores against a request of 1: max(request, usage) makes it pay for 3
        Awaits.eventually(() -> {
            JsonPath report = allocation("2026-11-25T09:00:00Z,2026-11-25T10:00:00Z", "workload");
            int kafka = report.getList("items.name").indexOf("data/Deployment/kafka");
            assertThat(kafka).isNotNegative();
            // e2-standard-4 at 0.134012/h split by the OpenCost ratio; three cores for three quarters of an hour
            double cpuRate = 0.031611 * 0.134012 / (4 * 0.031611 + 16 * 0.004237);
            assertThat(report.getDouble("items[" + kafka + "].cost.cpuCost"))
                    .isCloseTo(3 * 0.75 * cpuRate, within(1e-6));
        });
    }

    @Test
    void aNewerClusterEventTypeIsSkippedNotDeadLetteredAndTheNextSnapshotIsRead() {
        String cluster = "azure-newer";
        String newer = "io.meridian.inventory.cluster.renamed.v9";
        // A type a newer inventory publishes, before the cluster's first snapshot this version knows.
        producer.send(Topic.CLUSTERS, newer, cluster, cluster, Map.of("clusterId", cluster, "to", "renamed"));
        producer.send(
                EventType.CLUSTER_REGISTERED,
                cluster,
                cluster,
                FleetEvents.cluster(cluster, Cloud.AZURE, "westeurope"));
        Awaits.eventually(() -> assertThat(model.cloudOf(cluster)).isEqualTo("azure"));

        // An unreadable record on the same key: its dead letter comes after any of the records before it.
        producer.sendRaw(Topic.CLUSTERS.topicName(), cluster, "not a cloud event".getBytes(StandardCharsets.UTF_8));
        clusterDeadLetters.awaitFirst(
                r -> cluster.equals(r.key()) && r.header("ce_type") == null, Duration.ofSeconds(30));
        assertThat(clusterDeadLetters.all()).noneMatch(r -> newer.equals(r.header("ce_type")));
        assertThat(given().when()
                        .get(managementMetrics)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .containsPattern("meridian_fleet_events_skipped_total\\{[^}]*topic=\"fleet\\.clusters\\.v1\",type=\""
                        + Pattern.quote(newer) + "\"[^}]*\\} [1-9]");

        // A bare tombstone deregisters it: the other tests' fleet is two clusters again.
        producer.tombstone(Topic.CLUSTERS.topicName(), cluster);
        Awaits.eventually(() -> assertThat(model.clusterIds()).doesNotContain(cluster));
    }

    @Test
    void eachClustersRatesArePublishedWhenTheyChangeAgainWithinADayAndTombstonedOnDeregistration() {
        clock.set(Instant.parse("2026-11-25T15:00:00Z"));
        String cluster = "azure-rates";
        producer.send(
                EventType.CLUSTER_REGISTERED,
                cluster,
                cluster,
                FleetEvents.cluster(cluster, Cloud.AZURE, "westeurope"));
        for (ObservedResource node : List.of(
                FleetEvents.node(cluster, "vm-1", "Standard_D4s_v5", "westeurope", Map.of()),
                FleetEvents.node(
                        cluster,
                        "vm-2",
                        "Standard_D4s_v5",
                        "westeurope",
                        Map.of("kubernetes.azure.com/scalesetpriority", "spot")))) {
            producer.send(EventType.RESOURCE_OBSERVED, node.key(), node.name(), node);
        }
        Awaits.eventually(() -> assertThat(model.rates().rates())
                .containsKeys("aws-a", "gcp-b")
                .hasEntrySatisfying(cluster, r -> assertThat(r.nodeCount()).isEqualTo(2)));

        assertThat(onVertx(() -> rates.publishDue())).isPositive();

        // Each node's price split by the OpenCost ratio, the way the allocator charges a pod: a 4-core 16-GiB node
        // puts this share of its price on its cores.
        double cpuShare = 4 * 0.031611 / (4 * 0.031611 + 16 * 0.004237);
        // Standard_D4s_v5 in westeurope at 0.23/h, the spot one at 20 % of that
        double azureHourly = 0.23 + 0.23 * 0.20;
        ClusterRatesPublished azure = awaitRates(cluster, 1).getLast();
        assertThat(azure.currency()).isEqualTo("USD");
        assertThat(azure.cpuCoreHour()).isCloseTo(azureHourly * cpuShare / 8, within(1e-7));
        assertThat(azure.memoryGibHour()).isCloseTo(azureHourly * (1 - cpuShare) / 32, within(1e-7));
        assertThat(azure.gpuHour()).isZero();
        assertThat(azure.spotShare()).isEqualTo(0.5);
        assertThat(azure.nodeCount()).isEqualTo(2);
        assertThat(azure.computedAt()).isEqualTo(Instant.parse("2026-11-25T15:00:00Z"));
        // Two m6i.xlarge in us-east-1 at 0.192/h, one of them spot at 35 %
        ClusterRatesPublished aws = awaitRates("aws-a", 1).getLast();
        assertThat(aws.cpuCoreHour()).isCloseTo((0.192 + 0.192 * 0.35) * cpuShare / 8, within(1e-7));
        assertThat(aws.spotShare()).isEqualTo(0.5);

        // Nothing changed: nothing is published again.
        assertThat(onVertx(() -> rates.publishDue())).isZero();

        // An operator's price for the instance type changes the cluster's rates: they are published at once.
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "kind", "instance",
                        "cloud", "azure",
                        "region", "westeurope",
                        "key", "Standard_D4s_v5",
                        "price", 0.46))
                .when()
                .put("/api/v1/prices/overrides")
                .then()
                .statusCode(201);
        try {
            assertThat(onVertx(() -> rates.publishDue())).isEqualTo(1);
            ClusterRatesPublished dearer = awaitRates(cluster, 2).getLast();
            assertThat(dearer.cpuCoreHour()).isCloseTo(2 * azure.cpuCoreHour(), within(1e-7));
        } finally {
            given().header("Authorization", OPERATOR)
                    .when()
                    .delete("/api/v1/prices/overrides/instance:azure:westeurope:Standard_D4s_v5")
                    .then()
                    .statusCode(204);
        }
        assertThat(onVertx(() -> rates.publishDue())).isEqualTo(1);
        assertThat(awaitRates(cluster, 3).getLast().cpuCoreHour()).isEqualTo(azure.cpuCoreHour());

        // Half a day later the unchanged rates of every cluster are published again, within the topic's retention.
        clock.advance(Duration.ofHours(13));
        assertThat(onVertx(() -> rates.publishDue())).isGreaterThanOrEqualTo(3);
        assertThat(awaitRates(cluster, 4).getLast().computedAt()).isEqualTo(Instant.parse("2026-11-26T04:00:00Z"));
        assertThat(awaitRates("aws-a", 2).getLast().cpuCoreHour()).isEqualTo(aws.cpuCoreHour());

        // The cluster is deregistered: the tombstone of its rates key withdraws them, once.
        producer.tombstone(Topic.CLUSTERS.topicName(), cluster);
        Awaits.eventually(() -> assertThat(model.clusterIds()).doesNotContain(cluster));
        assertThat(onVertx(() -> rates.publishDue())).isEqualTo(1);
        Awaits.eventually(() -> assertThat(ratesEvents(cluster)).last().isEqualTo(new RatesEvent.Withdrawn(cluster)));
        assertThat(onVertx(() -> rates.publishDue())).isZero();
        assertThat(ratesEvents("aws-a")).last().isInstanceOf(RatesEvent.Published.class);
    }

    /** The records under a cluster's rates key on fleet.cost.v1, read the one way every reader of rates reads them. */
    private static List<RatesEvent> ratesEvents(String clusterId) {
        return cost.all().stream()
                .filter(r -> ClusterRatesPublished.key(clusterId).equals(r.key()))
                .map(r -> FleetStreams.ratesEvent(r.key(), r.headers(), r.value()))
                .toList();
    }

    /** Waits for at least {@code count} rates records of a cluster and returns the rates published, in order. */
    private static List<ClusterRatesPublished> awaitRates(String clusterId, int count) {
        return org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> ratesEvents(clusterId).stream()
                                .filter(e -> e instanceof RatesEvent.Published)
                                .map(e -> ((RatesEvent.Published) e).rates())
                                .toList(),
                        list -> list.size() >= count);
    }
}
