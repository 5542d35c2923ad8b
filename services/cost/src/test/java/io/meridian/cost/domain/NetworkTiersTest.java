package io.meridian.cost.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkTiersTest {

    private static final List<PriceCatalog.Tier> AWS_LIKE = List.of(
            new PriceCatalog.Tier(10240.0, 0.09),
            new PriceCatalog.Tier(51200.0, 0.085),
            new PriceCatalog.Tier(153600.0, 0.07),
            new PriceCatalog.Tier(null, 0.05));

    @Test
    void withinTheFirstTierEveryGbPaysItsRate() {
        assertThat(NetworkTiers.cost(AWS_LIKE, 0, 100)).isCloseTo(9.0, within(1e-9));
    }

    @Test
    void volumeCrossingATierBoundaryPaysEachTierForItsPart() {
        // 10,000 GB already sent: 240 GB at 0.09, then 760 GB at 0.085.
        assertThat(NetworkTiers.cost(AWS_LIKE, 10_000, 1_000)).isCloseTo(240 * 0.09 + 760 * 0.085, within(1e-9));
    }

    @Test
    void beyondTheLastBoundTheOpenTierApplies() {
        assertThat(NetworkTiers.cost(AWS_LIKE, 200_000, 10)).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void aFreeAllowanceCostsNothing() {
        var azureLike = List.of(new PriceCatalog.Tier(100.0, 0.0), new PriceCatalog.Tier(null, 0.087));
        assertThat(NetworkTiers.cost(azureLike, 0, 100)).isZero();
        assertThat(NetworkTiers.cost(azureLike, 50, 100)).isCloseTo(50 * 0.087, within(1e-9));
    }
}
