package io.meridian.placement.domain;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one generation of a workload puts on a cluster: its manifests, in its namespace, with the overrides that
 * differ per cluster and the placement mode that decides who sets the replica count. Kept for every generation, since
 * clusters run older ones during a rollout.
 */
public record WorkloadRevision(
        String workload,
        String namespace,
        long generation,
        List<Map<String, Object>> manifests,
        List<WorkloadOverride> overrides,
        PlacementMode mode) {

    public WorkloadRevision {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(namespace, "namespace");
        // Manifests may hold null values (a merge patch's deletions), so only the list is copied.
        manifests = manifests == null ? List.of() : List.copyOf(manifests);
        overrides = overrides == null ? List.of() : List.copyOf(overrides);
        mode = mode == null ? PlacementMode.DUPLICATED : mode;
    }

    /** The revision of a workload as declared at its generation. */
    public static WorkloadRevision of(Workload workload) {
        return new WorkloadRevision(
                workload.name(),
                workload.namespace(),
                workload.generation(),
                workload.manifests(),
                workload.overrides(),
                workload.placement().mode());
    }
}
