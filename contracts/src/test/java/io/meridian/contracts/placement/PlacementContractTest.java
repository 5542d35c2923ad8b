package io.meridian.contracts.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.contracts.ContractFiles;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.cost.ClusterRatesPublished;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The keys of fleet.placement.v1 and of the rates fact, and the words of a failover's cost, beyond the samples. */
class PlacementContractTest {

    private static final Instant AT = Instant.parse("2026-11-24T10:15:30Z");

    /** Which key each type of the topic is published under: what keeps compaction from dropping a decision. */
    private static final Map<EventType, PlacementKey.Aspect> ASPECTS = Map.of(
            EventType.PLACEMENT_DECISION_MADE, PlacementKey.Aspect.DECISION,
            EventType.ROLLOUT_STARTED, PlacementKey.Aspect.ROLLOUT,
            EventType.ROLLOUT_WAVE_COMPLETED, PlacementKey.Aspect.ROLLOUT,
            EventType.ROLLOUT_HALTED, PlacementKey.Aspect.ROLLOUT,
            EventType.ROLLOUT_COMPLETED, PlacementKey.Aspect.ROLLOUT,
            EventType.FAILOVER_STARTED, PlacementKey.Aspect.FAILOVER,
            EventType.FAILOVER_COMPLETED, PlacementKey.Aspect.FAILOVER,
            EventType.FAILOVER_SUPPRESSED, PlacementKey.Aspect.FAILOVER,
            EventType.FAILBACK_COMPLETED, PlacementKey.Aspect.FAILOVER);

    @Test
    void everyTypeOnThePlacementTopicIsAFactUnderItsAspectsKey() throws IOException {
        assertThat(EventType.on(Topic.PLACEMENT)).containsExactlyInAnyOrderElementsOf(ASPECTS.keySet());
        for (EventType type : EventType.on(Topic.PLACEMENT)) {
            assertThat(PlacementFact.class).isAssignableFrom(type.dataClass());
            for (Path sample : ContractFiles.files(ContractFiles.sampleFolder(type), ".json")) {
                PlacementFact fact = (PlacementFact) EventJson.read(Files.readAllBytes(sample), type.dataClass());

                assertThat(fact.placementKey())
                        .as(sample.toString())
                        .isEqualTo(new PlacementKey("checkout", ASPECTS.get(type)));
                assertThat(fact.key()).isEqualTo("checkout" + ASPECTS.get(type).suffix());
            }
        }
    }

    @Test
    void aWorkloadsThreeKeysAreDistinctAndParseBack() {
        List<String> keys = new ArrayList<>();
        for (PlacementKey.Aspect aspect : PlacementKey.Aspect.values()) {
            PlacementKey key = new PlacementKey("checkout", aspect);
            keys.add(key.value());
            assertThat(PlacementKey.parse(key.value())).contains(key);
        }

        assertThat(keys).containsExactly("checkout", "checkout/rollout", "checkout/failover");
        assertThat(PlacementKey.rollout("checkout")).hasToString("checkout/rollout");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "/rollout", "checkout/canary", "checkout/rollout/7", "checkout/", "a/b/failover"})
    void otherKeyShapesAreNoPlacementKeys(String key) {
        assertThat(PlacementKey.parse(key)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "checkout/rollout"})
    void aWorkloadNameIsNotBlankAndHasNoSlash(String workload) {
        assertThatThrownBy(() -> PlacementKey.decision(workload)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PlacementKey.decision(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "212.4, USD, +212 USD/month",
        "-212.4, USD, -212 USD/month",
        "10, EUR, +10 EUR/month",
        "9.999, EUR, +10 EUR/month",
        "3.505, USD, +3.51 USD/month",
        "-3.5, EUR, -3.5 EUR/month",
        "0.004, USD, 0 USD/month",
        "0, USD, 0 USD/month",
        "1234.5, USD, +1235 USD/month"
    })
    void aCostDeltaIsSaidSignedInWholeUnitsFromTenUpAndCentsBelow(double delta, String currency, String words) {
        assertThat(FailoverMove.costSummary(delta, currency)).isEqualTo(words);
    }

    @Test
    void aCostDeltaWithoutRatesIsUnknownAndNeverANumber() {
        assertThat(FailoverMove.costSummary(0, null)).isEqualTo("cost change unknown: no published rates");
        assertThatThrownBy(() -> FailoverMove.costSummary(Double.NaN, "USD"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMoveMadeByItsFactorySaysItsCostAndEverySampleSaysItsOwn() throws IOException {
        FailoverMove move =
                FailoverMove.of("checkout", List.of("prod-aws-1"), List.of("prod-azure-1"), 212.4, "USD", AT);
        assertThat(move.summary()).isEqualTo("+212 USD/month");
        assertThat(move.key()).isEqualTo("checkout/failover");

        for (EventType type :
                List.of(EventType.FAILOVER_STARTED, EventType.FAILOVER_COMPLETED, EventType.FAILBACK_COMPLETED)) {
            for (Path sample : ContractFiles.files(ContractFiles.sampleFolder(type), ".json")) {
                FailoverMove read = EventJson.read(Files.readAllBytes(sample), FailoverMove.class);
                assertThat(read.summary())
                        .as(sample.toString())
                        .isEqualTo(FailoverMove.costSummary(read.monthlyCostDelta(), read.currency()));
            }
        }
    }

    @Test
    void aMoveSaysItsCauseWhenTheProducerKnowsItAndReadsWithoutOneFromAnOlderProducer() {
        FailoverMove move = FailoverMove.of(
                "checkout",
                List.of("prod-gcp-1"),
                List.of("prod-gcp-2"),
                0,
                "USD",
                FailoverMove.Cause.WorkloadUnhealthy,
                AT);
        assertThat(new String(EventJson.write(move), StandardCharsets.UTF_8))
                .contains("\"cause\":\"WorkloadUnhealthy\"");

        FailoverMove older = EventJson.read("""
                {"workload":"checkout","from":["prod-aws-1"],"to":["prod-azure-1"],"monthlyCostDelta":212.4,
                 "currency":"USD","summary":"+212 USD/month","at":"2026-11-24T10:20:32Z"}""".getBytes(StandardCharsets.UTF_8), FailoverMove.class);
        assertThat(older.cause()).isNull();
        assertThat(new String(EventJson.write(older), StandardCharsets.UTF_8)).doesNotContain("cause");
        assertThat(FailoverMove.of("checkout", List.of(), List.of(), 0, "USD", AT)
                        .cause())
                .isNull();
    }

    @Test
    void aDecisionSampleIsDegradedExactlyWhenASpreadRuleIsUnmet() throws IOException {
        for (Path sample :
                ContractFiles.files(ContractFiles.sampleFolder(EventType.PLACEMENT_DECISION_MADE), ".json")) {
            WorkloadPlacement placement = EventJson.read(Files.readAllBytes(sample), WorkloadPlacement.class);

            assertThat(placement.degraded())
                    .as(sample.toString())
                    .isEqualTo(!placement.unmetSpread().isEmpty());
            double known = placement.chosen().stream()
                    .filter(c -> c.monthlyCost() != null)
                    .mapToDouble(WorkloadPlacement.ChosenCluster::monthlyCost)
                    .sum();
            assertThat(placement.monthlyCost()).as(sample + " total").isCloseTo(known, Offset.offset(0.005));
        }
    }

    @Test
    void aDecisionWithoutCollectionsReadsAsEmptyAndWritesNoAbsentCost() {
        WorkloadPlacement placement = EventJson.read("""
                {"workload":"checkout","generation":1,"degraded":false,"monthlyCost":0,"decidedAt":"2026-11-24T10:15:30Z",
                 "chosen":[{"clusterId":"c1","name":"c1","replicas":2,"score":1}]}""".getBytes(StandardCharsets.UTF_8), WorkloadPlacement.class);

        assertThat(placement.rejected()).isEmpty();
        assertThat(placement.unmetSpread()).isEmpty();
        assertThat(placement.displaced()).isEmpty();
        assertThat(placement.chosen().getFirst().monthlyCost()).isNull();
        String written = new String(EventJson.write(placement), StandardCharsets.UTF_8);
        assertThat(written)
                .doesNotContain("monthlyCost\":null")
                .doesNotContain("currency")
                .doesNotContain("suppressed");
        assertThat(written).doesNotContain("placementKey").doesNotContain("\"key\"");
    }

    @Test
    void ratesAreKeyedApartFromEveryScope() {
        ClusterRatesPublished rates = new ClusterRatesPublished("prod-aws-1", "USD", 0.04, 0.005, 0, 0, 3, AT);

        assertThat(rates.key()).isEqualTo("rates/prod-aws-1");
        assertThat(ClusterRatesPublished.clusterIdOf(rates.key())).contains("prod-aws-1");
        assertThat(ClusterRatesPublished.clusterIdOf("cluster:prod-aws-1")).isEmpty();
        assertThat(ClusterRatesPublished.clusterIdOf("rates/")).isEmpty();
        assertThat(ClusterRatesPublished.clusterIdOf(null)).isEmpty();
        assertThat(Topic.COST.clusterIdOf(rates.key()))
                .as("fleet.cost.v1 is hashed by the whole key")
                .isEmpty();
    }
}
