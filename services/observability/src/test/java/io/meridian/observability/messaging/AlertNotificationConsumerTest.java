package io.meridian.observability.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.contracts.alert.AlertEvent;
import io.meridian.contracts.kafka.UnreadableEventException;
import io.meridian.observability.domain.notify.NotifiableAlert;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The alert an announcement on fleet.alerts.v1 becomes for notifications. */
class AlertNotificationConsumerTest {

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void anAnnouncementBecomesTheAlertWithItsNameAndSeverityAsLabels() {
        NotifiableAlert alert = AlertNotificationConsumer.notifiable(new AlertEvent(
                "fp1",
                "ClusterUnreachable",
                AlertEvent.State.FIRING,
                "critical",
                Map.of("cluster", "aws-1"),
                Map.of("summary", "down"),
                "aws-1",
                null,
                T0,
                null));

        assertThat(alert.labels())
                .containsEntry("alertname", "ClusterUnreachable")
                .containsEntry("severity", "critical")
                .containsEntry("cluster", "aws-1");
        assertThat(alert.firing()).isTrue();
        assertThat(alert.endsAt()).isNull();
    }

    @Test
    void aResolvedAnnouncementWithoutItsEndStillEnds() {
        NotifiableAlert alert = AlertNotificationConsumer.notifiable(new AlertEvent(
                "fp1", "ClusterUnreachable", AlertEvent.State.RESOLVED, null, Map.of(), null, null, null, T0, null));

        assertThat(alert.firing()).isFalse();
        assertThat(alert.endsAt()).isEqualTo(T0);
    }

    @Test
    void anAnnouncementWithoutFingerprintOrStartIsUnreadable() {
        assertThatThrownBy(() -> AlertNotificationConsumer.notifiable(
                        new AlertEvent(null, "X", AlertEvent.State.FIRING, null, Map.of(), null, null, null, T0, null)))
                .isInstanceOf(UnreadableEventException.class);
        assertThatThrownBy(() -> AlertNotificationConsumer.notifiable(new AlertEvent(
                        "fp", "X", AlertEvent.State.FIRING, null, Map.of(), null, null, null, null, null)))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("startsAt");
    }
}
