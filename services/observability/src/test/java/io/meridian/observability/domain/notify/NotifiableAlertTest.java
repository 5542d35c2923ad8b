package io.meridian.observability.domain.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.alert.AlertEvent;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotifiableAlertTest {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void anAnnouncementBecomesAnAlertWhoseLabelsNameItsRuleAndSeverity() {
        AlertEvent firing = new AlertEvent(
                "fp",
                "NodeNotReady",
                AlertEvent.State.FIRING,
                "critical",
                Map.of("cluster", "c1"),
                Map.of(),
                "c1",
                1.0,
                T0,
                T0.plusSeconds(5));

        NotifiableAlert alert = NotifiableAlert.of(firing);

        assertThat(alert.labels())
                .isEqualTo(Map.of("cluster", "c1", "alertname", "NodeNotReady", "severity", "critical"));
        assertThat(alert.endsAt()).as("a firing alert has not ended").isNull();
        assertThat(alert.firing()).isTrue();
    }

    @Test
    void aResolvedAnnouncementKeepsItsEnd() {
        AlertEvent resolved = new AlertEvent(
                "fp",
                "NodeNotReady",
                AlertEvent.State.RESOLVED,
                "critical",
                Map.of(),
                Map.of(),
                null,
                null,
                T0,
                T0.plusSeconds(60));

        assertThat(NotifiableAlert.of(resolved).endsAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(NotifiableAlert.of(resolved).firing()).isFalse();
    }
}
