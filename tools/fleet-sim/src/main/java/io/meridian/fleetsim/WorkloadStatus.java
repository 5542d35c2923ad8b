package io.meridian.fleetsim;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code status} the simulated kube-controller-manager writes for Deployments and StatefulSets, computed from what
 * it observed; pure, so the same observation always gives the same status (and so no write, no watch event).
 */
final class WorkloadStatus {

    static final String AVAILABLE = "Available";
    static final String PROGRESSING = "Progressing";

    private WorkloadStatus() {}

    /** Where a rollout stands. */
    enum Rollout {
        /** Every desired replica is updated and available. */
        COMPLETE,
        /** Still waiting for replicas to become available. */
        PROGRESSING,
        /** Waited longer than {@code progressDeadlineSeconds}. */
        DEADLINE_EXCEEDED
    }

    /**
     * What a controller saw of its pods.
     *
     * @param generation the workload's {@code metadata.generation}
     * @param desired {@code spec.replicas}
     * @param minAvailable how many replicas must be available for the workload to count as available
     * @param replicas pods that exist
     * @param updated pods of the current template
     * @param ready pods that are Ready (and so available: the simulator has no {@code minReadySeconds})
     * @param subject the ReplicaSet or StatefulSet a Progressing message names, e.g. {@code ReplicaSet "web-7d9f8"}
     * @param rollout where the rollout stands
     */
    record Observation(
            long generation,
            int desired,
            int minAvailable,
            int replicas,
            int updated,
            int ready,
            String subject,
            Rollout rollout) {}

    /** A condition as computed, before its timestamps are carried over. */
    record Condition(String type, String status, String reason, String message) {}

    /** A Deployment's status; fields that are zero are left out, as the API server's JSON omits them. */
    static Map<String, Object> deployment(Observation o, Map<String, Object> previous, Instant now) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("observedGeneration", o.generation());
        putPositive(status, "replicas", o.replicas());
        putPositive(status, "updatedReplicas", o.updated());
        putPositive(status, "readyReplicas", o.ready());
        putPositive(status, "availableReplicas", o.ready());
        putPositive(status, "unavailableReplicas", Math.max(0, o.desired() - o.ready()));
        status.put("conditions", conditions(o, "Deployment", previous, now));
        return status;
    }

    /** A StatefulSet's status, with revisions; {@code replicas} and {@code availableReplicas} always present. */
    static Map<String, Object> statefulSet(
            Observation o, String currentRevision, String updateRevision, Map<String, Object> previous, Instant now) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("observedGeneration", o.generation());
        status.put("replicas", o.replicas());
        putPositive(status, "readyReplicas", o.ready());
        putPositive(status, "currentReplicas", o.updated());
        putPositive(status, "updatedReplicas", o.updated());
        status.put("availableReplicas", o.ready());
        status.put("currentRevision", currentRevision);
        status.put("updateRevision", updateRevision);
        status.put("collisionCount", 0);
        status.put("conditions", conditions(o, "StatefulSet", previous, now));
        return status;
    }

    /** The Available and Progressing conditions of an observation, with timestamps carried over where unchanged. */
    static List<Map<String, Object>> conditions(Observation o, String kind, Map<String, Object> previous, Instant now) {
        boolean available = o.ready() >= o.minAvailable();
        Condition availability = available
                ? new Condition(AVAILABLE, "True", "MinimumReplicasAvailable", kind + " has minimum availability.")
                : new Condition(
                        AVAILABLE,
                        "False",
                        "MinimumReplicasUnavailable",
                        kind + " does not have minimum availability.");
        Condition progress = switch (o.rollout()) {
            case COMPLETE ->
                new Condition(
                        PROGRESSING, "True", "NewReplicaSetAvailable", o.subject() + " has successfully progressed.");
            case PROGRESSING ->
                new Condition(PROGRESSING, "True", "ReplicaSetUpdated", o.subject() + " is progressing.");
            case DEADLINE_EXCEEDED ->
                new Condition(
                        PROGRESSING, "False", "ProgressDeadlineExceeded", o.subject() + " has timed out progressing.");
        };
        // A new generation is progress in itself: the controller touches Progressing when it starts a rollout.
        boolean newGeneration = previous == null
                || !(previous.get("observedGeneration") instanceof Number n)
                || n.longValue() != o.generation();
        return List.of(
                carry(availability, previousCondition(previous, AVAILABLE), now, false),
                carry(progress, previousCondition(previous, PROGRESSING), now, newGeneration));
    }

    /**
     * A status as a kubelet heartbeat leaves it: the same, except that the Progressing condition (or, without
     * conditions, a pair made from the replica counts) carries a newer {@code lastUpdateTime}, strictly later than
     * before even within the same second, so that the write is never a no-op.
     *
     * @param desired {@code spec.replicas}, to judge availability when there are no conditions yet
     * @param subject the ReplicaSet or StatefulSet a made-up Progressing message names
     */
    static Map<String, Object> heartbeat(
            Map<String, Object> status, String kind, int desired, String subject, Instant now) {
        Map<String, Object> next = status == null ? new LinkedHashMap<>() : new LinkedHashMap<>(status);
        List<Map<String, Object>> conditions = new ArrayList<>();
        if (next.get("conditions") instanceof List<?> list) {
            for (Object c : list) {
                if (c instanceof Map<?, ?> m) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) m);
                    conditions.add(copy);
                }
            }
        }
        if (conditions.isEmpty()) {
            int available = next.get("availableReplicas") instanceof Number n ? n.intValue() : 0;
            long generation = next.get("observedGeneration") instanceof Number n ? n.longValue() : 1;
            Observation o = new Observation(
                    generation, desired, desired, desired, desired, available, subject, Rollout.COMPLETE);
            conditions.addAll(conditions(o, kind, next, now));
        }
        Map<String, Object> beat = conditions.stream()
                .filter(c -> PROGRESSING.equals(c.get("type")))
                .findFirst()
                .orElse(conditions.getFirst());
        Instant last = instant(beat.get("lastUpdateTime"));
        Instant stamp = last != null && !now.isAfter(last) ? last.plusSeconds(1) : now;
        beat.put("lastUpdateTime", ClusterContents.iso(stamp));
        next.put("conditions", conditions);
        return next;
    }

    private static Map<String, Object> carry(Condition c, Map<?, ?> previous, Instant now, boolean progressed) {
        String stamp = ClusterContents.iso(now);
        String transition = stamp;
        String update = stamp;
        if (previous != null) {
            boolean sameStatus = c.status().equals(previous.get("status"));
            if (sameStatus && previous.get("lastTransitionTime") instanceof String t) {
                transition = t;
            }
            boolean same = sameStatus
                    && c.reason().equals(previous.get("reason"))
                    && c.message().equals(previous.get("message"));
            if (same && !progressed && previous.get("lastUpdateTime") instanceof String u) {
                update = u;
            }
        }
        Map<String, Object> condition = new LinkedHashMap<>();
        condition.put("type", c.type());
        condition.put("status", c.status());
        condition.put("lastUpdateTime", update);
        condition.put("lastTransitionTime", transition);
        condition.put("reason", c.reason());
        condition.put("message", c.message());
        return condition;
    }

    private static Map<?, ?> previousCondition(Map<String, Object> status, String type) {
        if (status != null && status.get("conditions") instanceof List<?> list) {
            for (Object c : list) {
                if (c instanceof Map<?, ?> m && type.equals(m.get("type"))) {
                    return m;
                }
            }
        }
        return null;
    }

    private static void putPositive(Map<String, Object> status, String field, int value) {
        if (value > 0) {
            status.put(field, value);
        }
    }

    private static Instant instant(Object value) {
        if (!(value instanceof String s)) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
