package io.meridian.observability.domain;

import io.meridian.contracts.alert.AlertEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One alert instance, identified by the fingerprint of its labels. {@code published} is the last state
 * announced on fleet.alerts.v1 (null before the first), so a restart neither loses nor re-announces it.
 */
public record Alert(
        String fingerprint,
        String rule,
        String severity,
        Map<String, String> labels,
        Map<String, String> annotations,
        Double value,
        AlertEvent.State state,
        Instant activeSince,
        Instant firedAt,
        Instant resolvedAt,
        AlertEvent.State published,
        List<String> silencedBy,
        List<String> inhibitedBy,
        String acknowledgedBy,
        Instant acknowledgedAt) {

    public Alert {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        silencedBy = List.copyOf(silencedBy);
        inhibitedBy = List.copyOf(inhibitedBy);
    }

    public boolean active() {
        return state != AlertEvent.State.RESOLVED;
    }

    public boolean suppressed() {
        return !silencedBy.isEmpty() || !inhibitedBy.isEmpty();
    }

    public String clusterId() {
        return labels.get("cluster");
    }

    /** The event announcing this alert in its current state. */
    public AlertEvent toEvent() {
        return new AlertEvent(
                fingerprint,
                rule,
                state,
                severity,
                labels,
                annotations,
                clusterId(),
                value,
                state == AlertEvent.State.PENDING ? activeSince : (firedAt == null ? activeSince : firedAt),
                resolvedAt);
    }

    Alert with(
            AlertEvent.State newState,
            Instant newFiredAt,
            Instant newResolvedAt,
            AlertEvent.State newPublished,
            List<String> silenced,
            List<String> inhibited) {
        return new Alert(
                fingerprint,
                rule,
                severity,
                labels,
                annotations,
                value,
                newState,
                activeSince,
                newFiredAt,
                newResolvedAt,
                newPublished,
                silenced,
                inhibited,
                acknowledgedBy,
                acknowledgedAt);
    }

    /** Equal but for the value and the annotations rendered from it. */
    public boolean sameAs(Alert other) {
        return new Alert(
                        fingerprint,
                        rule,
                        severity,
                        labels,
                        other.annotations,
                        other.value,
                        state,
                        activeSince,
                        firedAt,
                        resolvedAt,
                        published,
                        silencedBy,
                        inhibitedBy,
                        acknowledgedBy,
                        acknowledgedAt)
                .equals(other);
    }

    public Alert acknowledged(String by, Instant at) {
        return new Alert(
                fingerprint,
                rule,
                severity,
                labels,
                annotations,
                value,
                state,
                activeSince,
                firedAt,
                resolvedAt,
                published,
                silencedBy,
                inhibitedBy,
                by,
                at);
    }
}
