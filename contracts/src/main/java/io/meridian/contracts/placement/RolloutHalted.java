package io.meridian.contracts.placement;

import java.time.Instant;

/**
 * A cluster failed its health gate and the rollout of {@code generation} stopped there; clusters not yet reached keep
 * the old generation until {@code POST .../rollout/resume} or a rollback.
 *
 * @param condition the Kubernetes reason, e.g. {@code ProgressDeadlineExceeded}, or {@code HealthTimeout}
 * @param message what the cluster said, for people
 */
public record RolloutHalted(
        String workload, long generation, String cluster, String condition, String message, Instant at)
        implements PlacementFact {

    @Override
    public PlacementKey placementKey() {
        return PlacementKey.rollout(workload);
    }
}
