package io.meridian.placement.domain;

import java.time.Instant;
import java.util.List;

/**
 * The rollout of {@code targetGeneration} over a workload's clusters: the waves as planned when it started (canary
 * first), how many completed, since when the phase holds, and what halted it.
 *
 * @param stableGeneration the generation clusters keep until their wave comes (and a newly chosen cluster gets)
 * @param haltedCluster the cluster whose health gate failed; null unless {@link RolloutPhase#HALTED}
 * @param haltReason the Kubernetes condition reason, e.g. {@code ProgressDeadlineExceeded}, or {@code HealthTimeout}
 */
public record RolloutState(
        long targetGeneration,
        long stableGeneration,
        RolloutPhase phase,
        List<List<String>> waves,
        int wavesCompleted,
        Instant phaseSince,
        String haltedCluster,
        String haltReason) {

    public RolloutState {
        waves = waves == null ? List.of() : waves.stream().map(List::copyOf).toList();
    }

    /** A workload first placed at {@code generation}: nothing to roll, every cluster gets it at once. */
    public static RolloutState completed(long generation, Instant now) {
        return new RolloutState(generation, generation, RolloutPhase.COMPLETED, List.of(), 0, now, null, null);
    }
}
