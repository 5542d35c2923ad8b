package io.meridian.observability.domain.notify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * One group notification to send to one receiver: status {@code firing} when any of its alerts fires, else
 * {@code resolved}. {@code dedupKey} identifies its content (receiver, group key, status, the hash of the alert
 * set, and the repeat number), so planning it twice stores it once.
 */
public record Notification(
        String receiver,
        String groupKey,
        Map<String, String> groupLabels,
        Status status,
        List<NotifiableAlert> alerts,
        int repeat,
        Instant plannedAt) {

    /** The status of a group notification, lower-case on the wire. */
    public enum Status {
        FIRING,
        RESOLVED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Notification {
        groupLabels = Map.copyOf(groupLabels);
        alerts = List.copyOf(alerts);
    }

    /** The dedup key: receiver, group key, status, a hash of the alert set, and the repeat number. */
    public String dedupKey() {
        return sha256(receiver + "\n" + groupKey + "\n" + status.wire() + "\n" + alertSetHash() + "\n" + repeat);
    }

    /**
     * A hash of the fingerprints with their state and start: the same alerts in a later episode (fired again after
     * resolving) are a new notification.
     */
    public String alertSetHash() {
        StringBuilder text = new StringBuilder();
        alerts.stream()
                .map(a -> a.fingerprint() + "@" + a.startsAt() + ":" + a.state())
                .sorted()
                .forEach(s -> text.append(s).append('\n'));
        return sha256(text.toString());
    }

    public List<String> fingerprints() {
        return alerts.stream().map(NotifiableAlert::fingerprint).sorted().toList();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
