package io.meridian.cost.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meridian.contracts.cost.BudgetEvent.Threshold;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BudgetStatusTest {

    // 2026-11 has 30 days: 720 hours. At 10:00 on the 6th, 5 days and 10 hours (130 h) have passed.
    private static final Instant NOW = Instant.parse("2026-11-06T10:00:00Z");

    @Test
    void forecastExtrapolatesTheSpendPerHourToTheWholeMonth() {
        BudgetStatus status = BudgetStatus.of(1000, 130, NOW);
        assertThat(status.forecast()).isCloseTo(720, within(1e-9));
        assertThat(status.crossed()).isEmpty();
    }

    @Test
    void withDataFromLaterInTheMonthTheRateIsTakenOverTheMeasuredHours() {
        // Measured since 00:00 on the 6th: 10 hours for 10 spent, 590 hours left at 1 per hour.
        BudgetStatus status = BudgetStatus.of(1000, 10, NOW, Instant.parse("2026-11-06T00:00:00Z"));
        assertThat(status.forecast()).isCloseTo(10 + 590, within(1e-9));
        // The same without the start of the data spreads the 10 over 130 hours.
        assertThat(BudgetStatus.of(1000, 10, NOW).forecast()).isCloseTo(10.0 / 130 * 720, within(1e-9));
    }

    @Test
    void thresholdsAreCrossedBySpendAndByForecast() {
        assertThat(BudgetStatus.of(1000, 200, NOW).crossed()).containsExactly(Threshold.ForecastExceeded);
        assertThat(BudgetStatus.of(1000, 800, NOW).crossed())
                .containsExactly(Threshold.Reached80, Threshold.ForecastExceeded);
        assertThat(BudgetStatus.of(1000, 1000, NOW).crossed())
                .containsExactly(Threshold.Reached80, Threshold.Reached100, Threshold.ForecastExceeded);
    }

    @Test
    void monthsAreUtc() {
        assertThat(BudgetStatus.month(Instant.parse("2026-11-30T23:59:59Z"))).isEqualTo("2026-11");
        assertThat(BudgetStatus.monthStart(NOW)).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    }

    @Test
    void scopesAreValidatedAndMatchTheirAllocations() {
        assertThat(BudgetScopes.problem("label:team=payments")).isEmpty();
        assertThat(BudgetScopes.problem("cluster:prod-aws-1")).isEmpty();
        assertThat(BudgetScopes.problem("cloud:aws")).isEmpty();
        assertThat(BudgetScopes.problem("cloud:mars")).isPresent();
        assertThat(BudgetScopes.problem("team")).isPresent();
        Allocation payments = new Allocation(
                "c1",
                "aws",
                "r",
                "payments",
                "p",
                "Deployment",
                "api",
                "n",
                java.util.Map.of("team", "payments"),
                1,
                1,
                1,
                1,
                0,
                0,
                0,
                0,
                false);
        Allocation idle = new Allocation(
                "c1",
                "aws",
                "r",
                Allocation.IDLE,
                Allocation.IDLE,
                null,
                Allocation.IDLE,
                null,
                java.util.Map.of(),
                0,
                0,
                1,
                1,
                0,
                0,
                0,
                0,
                true);
        assertThat(BudgetScopes.contains("label:team=payments", payments)).isTrue();
        assertThat(BudgetScopes.contains("label:team=payments", idle)).isFalse();
        assertThat(BudgetScopes.contains("cluster:c1", idle)).isTrue();
        assertThat(BudgetScopes.contains("cloud:gcp", payments)).isFalse();
    }
}
