package io.meridian.placement.domain;

import java.time.Instant;

/**
 * A workload on one cluster as the fleet streams show it: the workload generation inventory reports applied there
 * ({@code fleet.sync.v1}), whether every Deployment and StatefulSet of it is available at that generation
 * ({@code fleet.resources.v1}: observedGeneration current, available replicas = replicas), and if not, the
 * condition that says why and since when; and the object of it inventory could not apply, if any.
 *
 * @param appliedGeneration 0 when nothing of the workload was applied there yet
 * @param condition e.g. {@code ProgressDeadlineExceeded}, {@code MinimumReplicasUnavailable}; null when available
 * @param applyFailure the workload's object that inventory last reported Failed or Conflict on the cluster, at the
 *     generation the cluster is told to run; null when none
 */
public record ClusterObservation(
        String clusterId,
        long appliedGeneration,
        boolean available,
        String condition,
        Instant unavailableSince,
        WorkloadSync.ApplyFailure applyFailure) {

    /** An observation without an apply failure. */
    public ClusterObservation(
            String clusterId, long appliedGeneration, boolean available, String condition, Instant unavailableSince) {
        this(clusterId, appliedGeneration, available, condition, unavailableSince, null);
    }

    /** This observation with {@code failure} as its apply failure. */
    public ClusterObservation withApplyFailure(WorkloadSync.ApplyFailure failure) {
        return new ClusterObservation(clusterId, appliedGeneration, available, condition, unavailableSince, failure);
    }
}
