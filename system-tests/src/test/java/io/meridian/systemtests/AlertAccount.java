package io.meridian.systemtests;

import io.meridian.contracts.EventJson;
import io.meridian.contracts.alert.AlertEvent;
import io.meridian.contracts.kafka.CloudEventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The chaos storm's account of alerts: every transition an alert made (as observability holds it) was announced on
 * {@code fleet.alerts.v1} at least once, no alert was announced again after its resolution, and no cluster that is up
 * and Ready is alerted unreachable. Deliveries of the same announcement again (the same CloudEvent id) are allowed
 * and counted.
 */
final class AlertAccount {

    static final String CLUSTER_UNREACHABLE = "ClusterUnreachable";
    /** How many alerts the account asks observability for (the API's largest page). */
    static final int ALERTS_LISTED = 1000;

    private int announcements;
    private int duplicates;

    /** One announcement as it came off the topic, in the order of its partition. */
    record Announcement(String id, AlertEvent event) {}

    /**
     * {@code alerts}: observability's alerts as its API listed them at {@code listedAt}; {@code topic}: the records of
     * {@code fleet.alerts.v1} since {@code since}, read after that; {@code ready}: clusters up and Ready now.
     */
    List<String> problems(
            List<Map<String, Object>> alerts,
            Instant listedAt,
            List<ConsumerRecord<String, byte[]>> topic,
            Instant since,
            Set<String> ready) {
        List<String> problems = new ArrayList<>();
        Map<String, List<Announcement>> byFingerprint = new HashMap<>();
        int seen = 0;
        int again = 0;
        Set<String> ids = new java.util.HashSet<>();
        for (ConsumerRecord<String, byte[]> record : topic) {
            if (record.value() == null) {
                continue;
            }
            Header id = record.headers().lastHeader(CloudEventHeaders.ID);
            String ceId = id == null
                    ? record.topic() + "@" + record.offset()
                    : new String(id.value(), StandardCharsets.UTF_8);
            if (!ids.add(ceId)) {
                again++;
                continue;
            }
            seen++;
            AlertEvent event = EventJson.read(record.value(), AlertEvent.class);
            byFingerprint
                    .computeIfAbsent(event.fingerprint(), f -> new ArrayList<>())
                    .add(new Announcement(ceId, event));
        }
        announcements = seen;
        duplicates = again;

        // Announced again after its resolution: after an alert's "resolved", nothing more of an instance that began
        // before it ended (a new instance of the same fingerprint begins after the resolution).
        byFingerprint.forEach((fingerprint, sequence) -> {
            for (int i = 0; i < sequence.size(); i++) {
                AlertEvent resolved = sequence.get(i).event();
                if (resolved.state() != AlertEvent.State.RESOLVED) {
                    continue;
                }
                for (Announcement later : sequence.subList(i + 1, sequence.size())) {
                    Instant began = later.event().startsAt();
                    boolean sameInstance = resolved.endsAt() == null
                            ? Objects.equals(began, resolved.startsAt())
                            : began != null && began.isBefore(resolved.endsAt());
                    if (sameInstance) {
                        problems.add("alert " + resolved.alertName() + " " + fingerprint + " announced "
                                + later.event().state().name().toLowerCase(java.util.Locale.ROOT)
                                + " again after its resolution at " + resolved.endsAt());
                    }
                }
            }
        });

        if (alerts.size() >= ALERTS_LISTED) {
            problems.add("observability lists " + alerts.size() + " alerts or more: the account would be incomplete");
        }
        for (Map<String, Object> alert : alerts) {
            String fingerprint = (String) alert.get("fingerprint");
            String state = (String) alert.get("state");
            String published = (String) alert.get("published");
            Instant activeSince = instant(alert.get("activeSince"));
            Instant firedAt = instant(alert.get("firedAt"));
            Instant resolvedAt = instant(alert.get("resolvedAt"));
            Instant changedAt = switch (state) {
                case "resolved" -> resolvedAt;
                case "firing" -> firedAt;
                default -> activeSince;
            };
            // No transition during the storm, or one so recent that its announcement may still be in the outbox.
            if (changedAt == null || changedAt.isBefore(since) || changedAt.isAfter(listedAt.minusSeconds(5))) {
                continue;
            }
            if (published == null) {
                continue; // never announced: suppressed from its start (its resolution is then not announced either)
            }
            boolean suppressed = !((List<?>) alert.getOrDefault("silencedBy", List.of())).isEmpty()
                    || !((List<?>) alert.getOrDefault("inhibitedBy", List.of())).isEmpty();
            if (suppressed && !"resolved".equals(state)) {
                continue; // muted now: its current state is rightly not announced
            }
            String rule = (String) alert.get("rule");
            if (!state.equals(published)) {
                problems.add("alert " + rule + " " + fingerprint + " is " + state + " but was announced " + published);
                continue;
            }
            // The announcement of this very instance: an event's startsAt is when it fired (when it became active
            // for a pending one), and a resolution names when it ended.
            Instant startsAt = "pending".equals(state) || firedAt == null ? activeSince : firedAt;
            boolean announced = byFingerprint.getOrDefault(fingerprint, List.of()).stream()
                    .map(Announcement::event)
                    .anyMatch(e -> e.state().name().equalsIgnoreCase(state)
                            && sameMillis(startsAt, e.startsAt())
                            && (resolvedAt == null || sameMillis(resolvedAt, e.endsAt())));
            if (!announced) {
                problems.add("alert " + rule + " " + fingerprint + " became " + state + " at " + changedAt
                        + " but no such announcement is on the topic");
            }
        }

        for (Map<String, Object> alert : alerts) {
            @SuppressWarnings("unchecked")
            Map<String, String> labels = (Map<String, String>) alert.getOrDefault("labels", Map.of());
            if (CLUSTER_UNREACHABLE.equals(alert.get("rule"))
                    && !"resolved".equals(alert.get("state"))
                    && ready.contains(labels.get("cluster"))) {
                problems.add("cluster " + labels.get("cluster") + " is up and Ready but alerted " + alert.get("state")
                        + " unreachable");
            }
        }
        return problems;
    }

    /** Distinct announcements read at the last check. */
    int announcements() {
        return announcements;
    }

    /** Deliveries of an announcement already read (the same CloudEvent id), at the last check. */
    int duplicates() {
        return duplicates;
    }

    private static Instant instant(Object value) {
        return value == null ? null : Instant.parse(value.toString());
    }

    private static boolean sameMillis(Instant a, Instant b) {
        return b != null && a.truncatedTo(ChronoUnit.MILLIS).equals(b.truncatedTo(ChronoUnit.MILLIS));
    }
}
