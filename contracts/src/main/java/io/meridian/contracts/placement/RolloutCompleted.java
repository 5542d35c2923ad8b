package io.meridian.contracts.placement;

import java.time.Instant;

/** Every cluster of the workload runs {@code generation}: it is the stable generation now. */
public record RolloutCompleted(String workload, long generation, Instant at) implements PlacementFact {

    @Override
    public PlacementKey placementKey() {
        return PlacementKey.rollout(workload);
    }
}
