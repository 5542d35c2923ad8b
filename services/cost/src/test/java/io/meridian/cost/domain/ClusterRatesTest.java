package io.meridian.cost.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meridian.contracts.cost.ClusterRatesPublished;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterRatesTest {

    private static final Map<String, String> SPOT = Map.of("eks.amazonaws.com/capacityType", "SPOT");

    /** A node whose capacity the catalog knows from its instance type. */
    private static NodeFacts node(String name, String type, Map<String, String> labels) {
        return new NodeFacts(name, type, "us-east-1", "us-east-1a", 0, 0, 0, labels);
    }

    @Test
    void aSpotNodeLowersTheRatesByItsShareOfTheCapacityAndCountsInTheSpotShare() {
        // m.test: 0.20/h for 4 cores and 16 GiB splits at exactly 0.03 and 0.005; the spot one costs 40 % of that.
        List<NodeFacts> nodes =
                List.of(node("a", "m.test", Map.of()), node("b", "m.test", Map.of()), node("c", "m.test", SPOT));

        ClusterRates rates = ClusterRates.of("aws-1", "aws", "us-east-1", nodes, TestPrices.book())
                .orElseThrow();

        assertThat(rates.cpuCoreHour()).isCloseTo((2 * 4 * 0.03 + 4 * 0.03 * 0.4) / 12, within(1e-9));
        assertThat(rates.memoryGibHour()).isCloseTo((2 * 16 * 0.005 + 16 * 0.005 * 0.4) / 48, within(1e-9));
        assertThat(rates.gpuHour()).isZero();
        assertThat(rates.spotShare()).isCloseTo(1.0 / 3, within(1e-8));
        assertThat(rates.nodeCount()).isEqualTo(3);
        assertThat(rates.currency()).isEqualTo("USD");
    }

    @Test
    void theRatesPriceTheWholeClusterAtWhatItsNodesCostWeightedByEachNodesCapacity() {
        // m.test 0.20/h (4 cores, 16 GiB) and c.test 0.30/h (8 cores, 16 GiB): each split by the same ratio.
        ClusterRates rates = ClusterRates.of(
                        "aws-1",
                        "aws",
                        "us-east-1",
                        List.of(node("a", "m.test", Map.of()), node("b", "c.test", Map.of())),
                        TestPrices.book())
                .orElseThrow();

        double cScale = 0.30 / (8 * 0.03 + 16 * 0.005);
        assertThat(rates.cpuCoreHour()).isCloseTo((4 * 0.03 + 8 * 0.03 * cScale) / 12, within(1e-9));
        assertThat(rates.memoryGibHour()).isCloseTo((16 * 0.005 + 16 * 0.005 * cScale) / 32, within(1e-9));
        assertThat(12 * rates.cpuCoreHour() + 32 * rates.memoryGibHour()).isCloseTo(0.20 + 0.30, within(1e-7));
        assertThat(rates.spotShare()).isZero();
    }

    @Test
    void gpuNodesGiveAGpuHourAndAnOverrideChangesTheRates() {
        // An instance type the catalog does not list is priced by the base rates, whose GPU-hour is 0.9.
        NodeFacts gpu = new NodeFacts("g", "g.unlisted", "us-east-1", "us-east-1a", 8, 32, 1, Map.of());
        List<NodeFacts> nodes = List.of(node("a", "m.test", Map.of()), gpu);

        ClusterRates listed = ClusterRates.of("aws-1", "aws", "us-east-1", nodes, TestPrices.book())
                .orElseThrow();
        ClusterRates overridden = ClusterRates.of(
                        "aws-1",
                        "aws",
                        "us-east-1",
                        nodes,
                        TestPrices.book(new PriceOverride(
                                PriceOverride.Kind.instance, "aws", PriceOverride.ANY_REGION, "m.test", 0.40)))
                .orElseThrow();

        assertThat(listed.gpuHour()).isCloseTo(0.9, within(1e-9));
        assertThat(listed.cpuCoreHour()).isCloseTo(0.03, within(1e-9));
        // m.test at twice its price: its four cores at 0.06, the GPU node's eight at 0.03
        assertThat(overridden.cpuCoreHour()).isCloseTo((4 * 0.06 + 8 * 0.03) / 12, within(1e-9));
        assertThat(overridden.gpuHour()).isCloseTo(0.9, within(1e-9));
        assertThat(overridden).isNotEqualTo(listed);
    }

    @Test
    void aClusterWithoutNodesOfKnownCapacityHasNoRates() {
        NodeFacts unknown = new NodeFacts("x", "mystery", "us-east-1", null, 0, 0, 0, Map.of());

        assertThat(ClusterRates.of("aws-1", "aws", "us-east-1", List.of(), TestPrices.book()))
                .isEmpty();
        assertThat(ClusterRates.of("aws-1", "aws", "us-east-1", List.of(unknown), TestPrices.book()))
                .isEmpty();
        // An unknown node next to known ones is left out of the rates and the count.
        ClusterRates rates = ClusterRates.of(
                        "aws-1", "aws", "us-east-1", List.of(unknown, node("a", "m.test", Map.of())), TestPrices.book())
                .orElseThrow();
        assertThat(rates.nodeCount()).isEqualTo(1);
        assertThat(rates.cpuCoreHour()).isCloseTo(0.03, within(1e-9));
    }

    @Test
    void theSameNodesInAnyOrderGiveEqualRatesSoNoReplicaSeesAChangeThatIsNone() {
        List<NodeFacts> nodes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            nodes.add(node("n" + i, i % 3 == 0 ? "c.test" : "m.test", i % 5 == 0 ? SPOT : Map.of()));
        }
        ClusterRates first = ClusterRates.of("aws-1", "aws", "us-east-1", nodes, TestPrices.book())
                .orElseThrow();
        Collections.shuffle(nodes, new java.util.Random(7));
        ClusterRates shuffled = ClusterRates.of("aws-1", "aws", "us-east-1", nodes, TestPrices.book())
                .orElseThrow();

        assertThat(shuffled).isEqualTo(first);
    }

    @Test
    void thePublishedFactCarriesTheRatesUnderTheClustersRatesKey() {
        ClusterRates rates = new ClusterRates("gcp-2", "USD", 0.0311, 0.0042, 2.48, 0.25, 8);
        Instant at = Instant.parse("2026-11-24T10:00:00Z");

        ClusterRatesPublished fact = rates.published(at);

        assertThat(fact).isEqualTo(new ClusterRatesPublished("gcp-2", "USD", 0.0311, 0.0042, 2.48, 0.25, 8, at));
        assertThat(fact.key()).isEqualTo("rates/gcp-2");
    }
}
