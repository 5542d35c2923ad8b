package io.meridian.contracts.placement;

import java.time.Instant;
import java.util.List;

/**
 * A new generation of a workload started to roll out from {@code fromGeneration}, in {@code waves} of cluster ids
 * (the canary first); clusters keep {@code fromGeneration} until their wave comes.
 */
public record RolloutStarted(
        String workload, long generation, long fromGeneration, List<List<String>> waves, Instant at)
        implements PlacementFact {

    public RolloutStarted {
        waves = waves == null ? List.of() : waves.stream().map(List::copyOf).toList();
    }

    @Override
    public PlacementKey placementKey() {
        return PlacementKey.rollout(workload);
    }
}
