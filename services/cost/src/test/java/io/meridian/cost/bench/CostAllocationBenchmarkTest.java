package io.meridian.cost.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meridian.cost.domain.WindowInput;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps the benchmark's workload honest on a small fleet, so that a change to the domain cannot quietly break it. */
class CostAllocationBenchmarkTest {

    @Test
    void aSmallFleetAllocatesEveryAssetToThePodsOutsideTheSharedNamespaces() {
        List<WindowInput> inputs = CostAllocationBenchmark.SyntheticFleet.windows(1_200, 2, 4);

        CostAllocationBenchmark.Run run = CostAllocationBenchmark.run(CostAllocationBenchmark.allocator(), inputs);

        assertThat(inputs).hasSize(2);
        assertThat(inputs.getFirst().clusters())
                .extracting(WindowInput.ClusterInput::cloud)
                .containsExactly("aws", "azure", "gcp", "onprem");
        assertThat(run.assets()).isPositive();
        assertThat(run.allocated()).isCloseTo(run.assets(), within(1e-6 * run.assets()));
        // The pods of kube-system and istio-system (two of the six namespaces) hand their cost on to the others.
        assertThat(run.rows()).isGreaterThanOrEqualTo(2 * 1_200 * 4 / 6);
    }

    @Test
    void theSameParametersGiveTheSameFleet() {
        CostAllocationBenchmark.Run first = CostAllocationBenchmark.run(
                CostAllocationBenchmark.allocator(), CostAllocationBenchmark.SyntheticFleet.windows(600, 1, 3));
        CostAllocationBenchmark.Run second = CostAllocationBenchmark.run(
                CostAllocationBenchmark.allocator(), CostAllocationBenchmark.SyntheticFleet.windows(600, 1, 3));

        assertThat(second).isEqualTo(first);
    }
}
