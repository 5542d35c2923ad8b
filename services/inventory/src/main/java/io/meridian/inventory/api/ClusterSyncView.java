package io.meridian.inventory.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Per owner, what is wanted on a cluster and what inventory applied there. */
public record ClusterSyncView(String cluster, List<OwnerSync> owners) {

    /** One owner's bundle on the cluster. */
    public record OwnerSync(
            String owner,
            long generationWanted,
            long generationApplied,
            String state,
            Map<String, Integer> outcomes,
            String driftPolicy,
            String lastError,
            String lastDrift,
            Instant lastDriftAt,
            Instant appliedAt) {}
}
