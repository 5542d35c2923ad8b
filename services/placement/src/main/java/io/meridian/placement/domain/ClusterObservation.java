package io.meridian.placement.domain;

import java.time.Instant;

/**
 * A workload on one cluster as the fleet streams show it: the workload generation inventory reports applied there
 * ({@code fleet.sync.v1}), whether every Deployment and StatefulSet of it is available at that generation
 * ({@code fleet.resources.v1}: observedGeneration current, available replicas = replicas), and if not, the
 * condition that says why and since when.
 *
 * @param appliedGeneration 0 when nothing of the workload was applied there yet
 * @param condition e.g. {@code ProgressDeadlineExceeded}, {@code MinimumReplicasUnavailable}; null when available
 */
public record ClusterObservation(
        String clusterId, long appliedGeneration, boolean available, String condition, Instant unavailableSince) {}
