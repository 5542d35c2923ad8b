package io.meridian.cost.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageLedgerTest {

    private static final Instant HOUR = Instant.parse("2026-11-25T10:00:00Z");
    private static final Map<String, String> FLOW = Map.of(
            "source_cluster", "a",
            "source_namespace", "checkout",
            "source_workload", "api",
            "destination_cluster", "b",
            "destination_namespace", "payments",
            "destination_workload", "pay");

    private static Instant at(int minute) {
        return HOUR.plusSeconds(minute * 60L);
    }

    @Test
    void counterIncreasesAreCreditedToTheHourOfTheLaterSampleAndAResetCountsItsNewValue() {
        UsageLedger ledger = new UsageLedger();
        ledger.record("a", at(50), UsageLedger.TCP_SENT, FLOW, 1_000, null); // baseline, no increase
        ledger.record("a", at(55), UsageLedger.TCP_SENT, FLOW, 1_500, null); // +500 in 10:00
        ledger.record("a", at(65), UsageLedger.TCP_SENT, FLOW, 2_000, null); // +500 in 11:00
        ledger.record("a", at(70), UsageLedger.TCP_SENT, FLOW, 300, null); // reset: +300 in 11:00

        List<String> key = List.of("a", "checkout", "api", "b", "payments", "pay");
        assertThat(ledger.usage("a", HOUR).traffic()).containsEntry(key, 500.0);
        assertThat(ledger.usage("a", HOUR.plusSeconds(3600)).traffic()).containsEntry(key, 800.0);
    }

    @Test
    void aPodSeenInHalfTheScrapesRanHalfTheHourAndGaugesAreAveraged() {
        UsageLedger ledger = new UsageLedger();
        Map<String, String> web = Map.of("namespace", "shop", "pod", "web-1", "container", "web");
        Map<String, String> db = Map.of("namespace", "shop", "pod", "db-0", "container", "db");
        for (int i = 0; i < 4; i++) {
            ledger.record("a", at(i * 15), UsageLedger.CONTAINER_CPU, db, 1.0 + i, null);
            if (i < 2) {
                ledger.record("a", at(i * 15), UsageLedger.CONTAINER_CPU, web, 0.5, null);
            }
        }
        UsageLedger.HourUsage hour = ledger.usage("a", HOUR);
        assertThat(hour.scrapes()).isEqualTo(4);
        assertThat(hour.runningFraction("shop", "web-1")).isEqualTo(0.5);
        assertThat(hour.runningFraction("shop", "db-0")).isEqualTo(1.0);
        assertThat(hour.runningFraction("shop", "gone")).isZero();
        assertThat(hour.containerCpu("shop", "db-0", "db").mean()).isCloseTo(2.5, within(1e-12));
        assertThat(hour.containerCpu("shop", "db-0", "db").percentile(95)).isEqualTo(4.0);
        assertThat(ledger.hours()).containsExactly(HOUR);

        ledger.forgetBefore(HOUR.plusSeconds(3600));
        assertThat(ledger.hours()).isEmpty();
    }
}
