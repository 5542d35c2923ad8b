package io.meridian.placement.domain;

import java.util.Map;

/**
 * How much room each cluster's one placement bundle has left for a workload: every workload placed on a cluster
 * travels in that cluster's bundle, a single Kafka record, so a bundle past {@code limitBytes} would reach the
 * cluster for no workload at all. Sizes are the objects as JSON (UTF-8, uncompressed).
 *
 * @param limitBytes the most bytes one cluster's bundle may hold
 * @param workloadBytes what the workload's objects take in a bundle (an estimate from its manifests and overrides)
 * @param usedByOthers by cluster id, the bytes the other workloads' objects take in its bundle (absent: none)
 */
public record BundleBudget(long limitBytes, long workloadBytes, Map<String, Long> usedByOthers) {

    /** No limit: every cluster has room. */
    public static final BundleBudget UNLIMITED = new BundleBudget(Long.MAX_VALUE, 0, Map.of());

    public BundleBudget {
        usedByOthers = usedByOthers == null ? Map.of() : Map.copyOf(usedByOthers);
    }

    /** The bytes the other workloads take in the cluster's bundle. */
    public long used(String clusterId) {
        return usedByOthers.getOrDefault(clusterId, 0L);
    }

    /** Whether the workload fits in the cluster's bundle beside the others. */
    public boolean fits(String clusterId) {
        return used(clusterId) + workloadBytes <= limitBytes;
    }
}
