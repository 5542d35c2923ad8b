package io.meridian.placement.domain;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An application as a user declared it: the manifests of one generation, in one namespace, with where it runs
 * ({@link PlacementPolicy}), how a new generation reaches the clusters ({@link RolloutStrategy}), when it moves
 * ({@link FailoverPolicy}) and what differs per cluster ({@link WorkloadOverride}).
 */
public record Workload(
        String name,
        String namespace,
        long generation,
        List<Map<String, Object>> manifests,
        PlacementPolicy placement,
        RolloutStrategy rollout,
        FailoverPolicy failover,
        List<WorkloadOverride> overrides) {

    /** The label every placed object carries, so cost aggregates and search finds by workload. */
    public static final String WORKLOAD_LABEL = "meridian.io/workload";

    public Workload {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        // Manifests may hold null values (a merge patch's deletions), so only the list is copied.
        manifests = manifests == null ? List.of() : List.copyOf(manifests);
        placement = placement == null ? PlacementPolicy.DEFAULT : placement;
        rollout = rollout == null ? RolloutStrategy.DEFAULT : rollout;
        failover = failover == null ? FailoverPolicy.DEFAULT : failover;
        overrides = overrides == null ? List.of() : List.copyOf(overrides);
    }
}
