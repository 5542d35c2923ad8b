package io.meridian.contracts.placement;

import java.time.Instant;
import java.util.List;

/**
 * Every cluster of wave {@code wave} (1 is the canary wave) applied {@code generation} and runs it available: the
 * health gate passed.
 */
public record RolloutWaveCompleted(String workload, long generation, int wave, List<String> clusters, Instant at)
        implements PlacementFact {

    public RolloutWaveCompleted {
        clusters = clusters == null ? List.of() : List.copyOf(clusters);
    }

    @Override
    public PlacementKey placementKey() {
        return PlacementKey.rollout(workload);
    }
}
