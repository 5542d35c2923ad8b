package io.meridian.observability.domain.notify;

import io.meridian.contracts.alert.AlertEvent;
import java.time.Instant;
import java.util.Map;

/**
 * An alert as notifications see it: the last state announced on fleet.alerts.v1 (firing or resolved; pending is
 * never notified). {@code endsAt} is null while it fires.
 */
public record NotifiableAlert(
        String fingerprint,
        AlertEvent.State state,
        Map<String, String> labels,
        Map<String, String> annotations,
        Instant startsAt,
        Instant endsAt) {

    public NotifiableAlert {
        labels = Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    /** The alert an announcement describes. */
    public static NotifiableAlert of(AlertEvent event) {
        Map<String, String> labels = new java.util.HashMap<>(event.labels());
        labels.putIfAbsent("alertname", event.alertName());
        if (event.severity() != null) {
            labels.putIfAbsent("severity", event.severity());
        }
        return new NotifiableAlert(
                event.fingerprint(),
                event.state(),
                labels,
                event.annotations(),
                event.startsAt(),
                event.state() == AlertEvent.State.RESOLVED ? event.endsAt() : null);
    }

    public boolean firing() {
        return state == AlertEvent.State.FIRING;
    }
}
