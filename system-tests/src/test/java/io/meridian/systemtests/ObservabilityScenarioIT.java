package io.meridian.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.alert.AlertEvent;
import io.meridian.contracts.kafka.CloudEventHeaders;
import io.meridian.fleetsim.SimulatedCluster;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Observability against the running fleet: a simulated cluster goes down and ClusterUnreachable fires on
 * fleet.alerts.v1 within 30 s while its node alerts stay inhibited; it comes back and the alert resolves; a
 * silence keeps another outage quiet; the audit index answers with the records inventory, identity and policy
 * emitted.
 */
@SystemTest
class ObservabilityScenarioIT {

    private final SystemUnderTest system;
    private final List<AlertEvent> alerts = new CopyOnWriteArrayList<>();
    // The collector reads the topic from its start, and other scenarios (placement's cloud outage) fire alerts for the
    // same clusters: a test looks only at alerts that started while it ran.
    private final Instant testStart = Instant.now();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private Thread collector;

    ObservabilityScenarioIT(SystemUnderTest system) {
        this.system = system;
    }

    @BeforeEach
    void collectAlerts() {
        collector = Thread.ofPlatform().daemon().name("alerts-collector").start(() -> {
            try (KafkaConsumer<String, byte[]> consumer =
                    new KafkaConsumer<>(system.kafkaConsumerProperties("alerts"))) {
                consumer.subscribe(List.of(Topic.ALERTS.topicName()));
                while (running.get()) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        if (r.value() != null
                                && EventType.of(CloudEventHeaders.text(r.headers(), CloudEventHeaders.TYPE))
                                        .map(t -> t.topic() == Topic.ALERTS)
                                        .orElse(false)) {
                            alerts.add(EventJson.read(r.value(), AlertEvent.class));
                        }
                    }
                }
            }
        });
    }

    @AfterEach
    void stopCollecting() throws InterruptedException {
        running.set(false);
        collector.join(5_000);
    }

    @Test
    void anOutageFiresClusterUnreachableInhibitsNodeAlertsAndResolvesWhenTheClusterReturns() {
        SimulatedCluster cluster = system.observedReadyCluster(0);

        Instant down = Instant.now();
        cluster.down(Duration.ofSeconds(40));

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> !events("ClusterUnreachable", cluster.name(), AlertEvent.State.FIRING)
                        .isEmpty());
        AlertEvent firing = events("ClusterUnreachable", cluster.name(), AlertEvent.State.FIRING)
                .getFirst();
        System.out.printf(
                "ClusterUnreachable firing %.1f s after the outage began%n",
                Duration.between(down, Instant.now()).toMillis() / 1000.0);
        assertThat(firing.severity()).isEqualTo("critical");

        // The cluster's nodes are of unknown readiness now: their alerts exist, inhibited, and are never announced.
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    JsonPath nodeAlerts = system.as(DemoUser.VIEWER, Service.OBSERVABILITY)
                            .queryParam("cluster", cluster.name())
                            .queryParam("alertname", "NodeNotReady")
                            .get("/api/v1/alerts")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath();
                    assertThat(nodeAlerts.getList("inhibitedBy"))
                            .isNotEmpty()
                            .allSatisfy(by -> assertThat(by)
                                    .asInstanceOf(InstanceOfAssertFactories.LIST)
                                    .contains(firing.fingerprint()));
                });
        assertThat(events("NodeNotReady", cluster.name(), null)).isEmpty();

        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> !events("ClusterUnreachable", cluster.name(), AlertEvent.State.RESOLVED)
                        .isEmpty());
        assertThat(events("ClusterUnreachable", cluster.name(), AlertEvent.State.RESOLVED)
                        .getFirst()
                        .fingerprint())
                .isEqualTo(firing.fingerprint());
        assertThat(events("NodeNotReady", cluster.name(), null)).isEmpty();
    }

    @Test
    void aSilenceKeepsAnOutageQuiet() {
        SimulatedCluster cluster = system.observedReadyCluster(1);
        String silence = system.as(DemoUser.OPERATOR, Service.OBSERVABILITY)
                .body(Map.of(
                        "matchers", List.of(Map.of("label", "cluster", "op", "=", "value", cluster.name())),
                        "duration", "10m",
                        "comment", "system test maintenance"))
                .post("/api/v1/silences")
                .then()
                .statusCode(201)
                .extract()
                .path("id");

        cluster.down(Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(45))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    JsonPath muted = system.as(DemoUser.VIEWER, Service.OBSERVABILITY)
                            .queryParam("cluster", cluster.name())
                            .queryParam("alertname", "ClusterUnreachable")
                            .queryParam("state", "firing")
                            .get("/api/v1/alerts")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath();
                    assertThat(muted.getList("silencedBy"))
                            .singleElement()
                            .satisfies(by -> assertThat(by)
                                    .asInstanceOf(InstanceOfAssertFactories.LIST)
                                    .containsExactly(silence));
                });
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(system.as(DemoUser.VIEWER, Service.OBSERVABILITY)
                                .queryParam("cluster", cluster.name())
                                .queryParam("alertname", "ClusterUnreachable")
                                .get("/api/v1/alerts")
                                .then()
                                .extract()
                                .jsonPath()
                                .getList("state"))
                        .containsOnly("resolved"));
        assertThat(events("ClusterUnreachable", cluster.name(), null)).isEmpty();
        system.as(DemoUser.OPERATOR, Service.OBSERVABILITY)
                .delete("/api/v1/silences/" + silence)
                .then()
                .statusCode(200);
    }

    @Test
    void theAuditIndexFindsWhatInventoryRecorded() {
        SimulatedCluster cluster = system.observedReadyCluster(2);

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    JsonPath audit = system.as(DemoUser.VIEWER, Service.OBSERVABILITY)
                            .queryParam("target", "Cluster/" + cluster.name())
                            .queryParam("action", "cluster.registered")
                            .get("/api/v1/audit")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath();
                    assertThat(audit.getList("items.service")).contains("inventory");
                    assertThat(audit.getList("items.actor.name")).contains(DemoUser.OPERATOR.username());
                });
        JsonPath health = system.as(DemoUser.VIEWER, Service.OBSERVABILITY)
                .queryParam("cluster", cluster.name())
                .get("/api/v1/health")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(health.getString("clusters[0].cluster")).isEqualTo(cluster.name());
    }

    @Test
    void theAuditIndexFindsTheGrantAndThePolicyChangeOtherServicesRecorded() {
        String grant = system.as(DemoUser.OPERATOR, Service.IDENTITY)
                .body(Map.of(
                        "subject", Map.of("kind", "group", "name", "payments"),
                        "role", "view",
                        "scope", Map.of("environment", "dev"),
                        "namespaces", List.of("default"),
                        "reason", "observability scenario: the audit index"))
                .post("/api/v1/grants")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String policy = "audit-index-scenario";
        system.as(DemoUser.OPERATOR, Service.POLICY)
                .body(Map.of(
                        "name",
                        policy,
                        "severity",
                        "low",
                        "action",
                        "audit",
                        "categories",
                        List.of("reliability"),
                        "spec",
                        Map.of(
                                "matchConstraints",
                                Map.of(
                                        "resourceRules",
                                        List.of(Map.of(
                                                "apiGroups", List.of("apps"),
                                                "apiVersions", List.of("v1"),
                                                "resources", List.of("deployments"),
                                                "operations", List.of("CREATE", "UPDATE")))),
                                "validations",
                                List.of(Map.of(
                                        "expression", "object.spec.replicas >= 1",
                                        "message", "a deployment runs at least one replica")))))
                .post("/api/v1/policies")
                .then()
                .statusCode(201);

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    assertThat(auditOf("Grant/" + grant, "grant.requested").getList("items.service"))
                            .containsExactly("identity");
                    JsonPath policyAudit = auditOf("Policy/" + policy, "policy.created");
                    assertThat(policyAudit.getList("items.service")).containsExactly("policy");
                    assertThat(policyAudit.getList("items.actor.name")).containsExactly(DemoUser.OPERATOR.username());
                });
        system.as(DemoUser.OPERATOR, Service.POLICY).delete("/api/v1/policies/" + policy);
        system.as(DemoUser.OPERATOR, Service.IDENTITY).delete("/api/v1/grants/" + grant);
    }

    private JsonPath auditOf(String target, String action) {
        return system.as(DemoUser.VIEWER, Service.OBSERVABILITY)
                .queryParam("target", target)
                .queryParam("action", action)
                .get("/api/v1/audit")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private List<AlertEvent> events(String alertName, String cluster, AlertEvent.State state) {
        return alerts.stream()
                .filter(a -> a.alertName().equals(alertName) && cluster.equals(a.clusterId()))
                .filter(a -> a.startsAt() == null || !a.startsAt().isBefore(testStart))
                .filter(a -> state == null || a.state() == state)
                .toList();
    }
}
