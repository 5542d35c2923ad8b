package io.meridian.contracts.alert;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;

/**
 * An alert changed state. {@code severity} comes from the alert rule (e.g. {@code warning}, {@code critical});
 * {@code clusterId}, {@code value} and {@code endsAt} may be {@code null}.
 */
public record AlertEvent(
        String fingerprint,
        String alertName,
        State state,
        String severity,
        Map<String, String> labels,
        Map<String, String> annotations,
        String clusterId,
        Double value,
        Instant startsAt,
        Instant endsAt) {

    public AlertEvent {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    /** Alert state, lower-case on the wire. */
    public enum State {
        @JsonProperty("pending")
        PENDING,
        @JsonProperty("firing")
        FIRING,
        @JsonProperty("resolved")
        RESOLVED
    }

    /** The record key on {@code fleet.alerts.v1}. */
    public String key() {
        return fingerprint;
    }
}
