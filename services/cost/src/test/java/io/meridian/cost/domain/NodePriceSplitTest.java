package io.meridian.cost.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NodePriceSplitTest {

    @Test
    void splitsTheOpenCostSpecificationExample() {
        // OpenCost: a node with 1 GPU, 1 CPU and 1 GB of RAM costs $35; base prices GPU $30, CPU $30, RAM $10
        // normalise to $15, $15 and $5, keeping GPU and CPU at 3x the price of a GB of RAM.
        ResourceRates rates = NodePriceSplit.split(35, 1, 1, 1, new ResourceRates(30, 10, 30));

        assertThat(rates.gpuHour()).isCloseTo(15, within(1e-9));
        assertThat(rates.cpuCoreHour()).isCloseTo(15, within(1e-9));
        assertThat(rates.ramGiBHour()).isCloseTo(5, within(1e-9));
        assertThat(rates.hourlyFor(1, 1, 1)).isCloseTo(35, within(1e-9));
    }

    @Test
    void partsAlwaysAddUpToTheNodePrice() {
        ResourceRates rates = NodePriceSplit.split(0.192, 4, 16, 0, new ResourceRates(0.031611, 0.004237, 0.95));

        assertThat(rates.hourlyFor(4, 16, 0)).isCloseTo(0.192, within(1e-12));
        assertThat(rates.cpuCoreHour() / rates.ramGiBHour()).isCloseTo(0.031611 / 0.004237, within(1e-9));
    }

    @Test
    void aNodeWithoutCapacityOrPriceHasNoRates() {
        assertThat(NodePriceSplit.split(0.2, 0, 0, 0, TestPrices.BASE)).isEqualTo(ResourceRates.ZERO);
        assertThat(NodePriceSplit.split(0, 4, 16, 0, TestPrices.BASE)).isEqualTo(ResourceRates.ZERO);
    }
}
