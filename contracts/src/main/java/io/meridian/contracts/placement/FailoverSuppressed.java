package io.meridian.contracts.placement;

import java.time.Instant;
import java.util.List;

/**
 * A failover that did not happen: too many of the workload's clusters (or of the fleet) became unreachable at once,
 * which is more likely Meridian's own network than the clouds. Nothing moves until an operator's {@code POST
 * .../failover}; the workload's decision carries the suppression for as long as it holds.
 */
public record FailoverSuppressed(String workload, List<String> unreachableClusters, String reason, Instant at)
        implements PlacementFact {

    public FailoverSuppressed {
        unreachableClusters = unreachableClusters == null ? List.of() : List.copyOf(unreachableClusters);
    }

    @Override
    public PlacementKey placementKey() {
        return PlacementKey.failover(workload);
    }
}
