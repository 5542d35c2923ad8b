package io.meridian.placement.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.meridian.contracts.selector.Production;
import io.meridian.placement.persistence.WorkloadStore;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * A workload as the API shows it: its declaration in the shape {@link WorkloadInput} reads (so it can be PUT back),
 * its generation, whether its selector can reach production clusters, and who changed it when.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkloadView(
        String name,
        String namespace,
        long generation,
        List<Map<String, Object>> manifests,
        WorkloadInput.PlacementInput placement,
        WorkloadInput.RolloutInput rollout,
        WorkloadInput.FailoverInput failover,
        List<WorkloadInput.OverrideInput> overrides,
        boolean reachesProd,
        OffsetDateTime createdAt,
        String createdBy,
        OffsetDateTime updatedAt,
        String updatedBy) {

    static WorkloadView of(WorkloadStore.StoredWorkload stored) {
        WorkloadInput input = WorkloadInput.of(stored.workload());
        return new WorkloadView(
                input.name(),
                input.namespace(),
                stored.workload().generation(),
                input.manifests(),
                input.placement(),
                input.rollout(),
                input.failover(),
                input.overrides(),
                Production.reachableBy(stored.workload().placement().clusterSelector()),
                stored.createdAt(),
                stored.createdBy(),
                stored.updatedAt(),
                stored.updatedBy());
    }
}
