package io.meridian.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.cost.BudgetEvent;
import io.meridian.contracts.kafka.CloudEventHeaders;
import io.meridian.fleetsim.Cloud;
import io.meridian.fleetsim.Endpoint;
import io.meridian.fleetsim.SimulatedCluster;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/**
 * Cost over the simulated fleet: allocation by cloud adds up to what the clusters' assets cost; a workload made chatty
 * across clouds is recommended to be co-located; a budget crossed is announced on {@code fleet.cost.v1}. Usage and
 * traffic reach cost as {@code fleet.metrics.v1} batches that observability scrapes from the simulator.
 */
@SystemTest
class CostScenarioIT {

    private static final Duration WITHIN = Duration.ofSeconds(90);

    private final SystemUnderTest system;

    CostScenarioIT(SystemUnderTest system) {
        this.system = system;
    }

    private JsonPath allocation(String aggregate) {
        return system.as(DemoUser.VIEWER, Service.COST)
                .queryParam("window", "1h")
                .queryParam("aggregate", aggregate)
                .get("/api/v1/allocation")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void allocationByCloudCoversEveryCloudAndAddsUpToTheAssets() {
        system.registerFleet();
        await().atMost(WITHIN).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            JsonPath byCloud = allocation("cloud");
            assertThat(byCloud.getList("items.name", String.class)).contains("aws", "azure", "gcp", "onprem");
            double items = byCloud.getList("items.cost.totalCost", Float.class).stream()
                    .mapToDouble(Float::doubleValue)
                    .sum();
            assertThat(byCloud.getDouble("assetTotal")).isPositive();
            assertThat(items).isCloseTo(byCloud.getDouble("assetTotal"), within(1e-3));
        });
        for (String aggregate : List.of("cluster", "namespace", "label:team")) {
            JsonPath report = allocation(aggregate);
            double items = report.getList("items.cost.totalCost", Float.class).stream()
                    .mapToDouble(Float::doubleValue)
                    .sum();
            assertThat(items).as(aggregate).isCloseTo(report.getDouble("assetTotal"), within(1e-3));
        }
    }

    @Test
    void aWorkloadMadeChattyAcrossCloudsIsRecommendedToBeColocated() {
        system.registerFleet();
        SimulatedCluster aws = first(Cloud.AWS);
        SimulatedCluster gcp = first(Cloud.GCP);
        // 20 MB/s from AWS to GCP: about 50 TB a month of internet egress.
        system.fleet()
                .traffic()
                .set(
                        new Endpoint(aws.name(), "checkout", "checkout-api"),
                        new Endpoint(gcp.name(), "data", "kafka"),
                        20_000_000,
                        system.fleet().elapsedSeconds());
        String pair = aws.name() + "/checkout/checkout-api <-> " + gcp.name() + "/data/kafka";
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(3))
                .untilAsserted(() -> {
                    JsonPath report = system.as(DemoUser.VIEWER, Service.COST)
                            .queryParam("hours", 1)
                            .queryParam("kind", "colocate")
                            .get("/api/v1/recommendations")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath();
                    assertThat(report.getList("items.target", String.class)).contains(pair);
                });
    }

    @Test
    void aBudgetCrossedYieldsABudgetEvent() {
        system.registerFleet();
        await().atMost(WITHIN)
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(allocation("cluster").getDouble("assetTotal"))
                        .isPositive());
        String id = system.as(DemoUser.OPERATOR, Service.COST)
                .body(Map.of("name", "payments (system test)", "scope", "label:team=payments", "monthlyAmount", 0.0001))
                .post("/api/v1/budgets")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(system.kafkaConsumerProperties("cost-scenario-budget"))) {
            consumer.subscribe(List.of(Topic.COST.topicName()));
            List<BudgetEvent> events = new ArrayList<>();
            await().atMost(WITHIN).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String type = CloudEventHeaders.text(record.headers(), CloudEventHeaders.TYPE);
                    if (EventType.BUDGET_THRESHOLD_CROSSED.type().equals(type)) {
                        BudgetEvent event = EventJson.read(record.value(), BudgetEvent.class);
                        if (event.budgetId().equals(id)) {
                            events.add(event);
                        }
                    }
                }
                assertThat(events).extracting(BudgetEvent::threshold).contains(BudgetEvent.Threshold.Reached100);
            });
            assertThat(events).allSatisfy(e -> assertThat(e.scope()).isEqualTo("label:team=payments"));
        }
    }

    private SimulatedCluster first(Cloud cloud) {
        return system.fleet().clusters().stream()
                .filter(c -> c.cloud() == cloud)
                .findFirst()
                .orElseThrow();
    }
}
