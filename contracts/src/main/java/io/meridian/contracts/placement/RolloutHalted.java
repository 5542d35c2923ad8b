package io.meridian.contracts.placement;

import java.time.Instant;

/**
 * A cluster failed its health gate and the rollout of {@code generation} stopped there; clusters not yet reached keep
 * the old generation until {@code POST .../rollout/resume} or a rollback.
 *
 * @param condition the Kubernetes reason, e.g. {@code ProgressDeadlineExceeded}, or {@code HealthTimeout}
 * @param message what the cluster said, for people
 * @param object the object that failed, as inventory's sync report names it ({@code Kind/name in namespace}), when one
 *     object is to blame (an apply that failed); null otherwise. Optional: absent from events of older producers.
 */
public record RolloutHalted(
        String workload, long generation, String cluster, String condition, String message, String object, Instant at)
        implements PlacementFact {

    /** A halt no single object is to blame for. */
    public RolloutHalted(
            String workload, long generation, String cluster, String condition, String message, Instant at) {
        this(workload, generation, cluster, condition, message, null, at);
    }

    @Override
    public PlacementKey placementKey() {
        return PlacementKey.rollout(workload);
    }
}
