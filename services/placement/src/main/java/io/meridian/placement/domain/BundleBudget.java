package io.meridian.placement.domain;

import java.util.Map;

/**
 * How much room each cluster's one placement bundle has left for a workload: every workload placed on a cluster
 * travels in that cluster's bundle, a single Kafka record, so a bundle past {@code limitBytes} would reach the
 * cluster for no workload at all. Sizes are the objects as JSON (UTF-8, uncompressed).
 *
 * <p>A newcomer needs its estimated bytes beside the others'. An incumbent (a cluster whose bundle already carries the
 * workload) keeps its place unless it grows: it needs only what it holds there (measured) plus the growth of its
 * estimate since the generation it holds, so that a bundle another workload filled later never pushes it out, and an
 * estimate that is larger than what rendering produced never counts against it.
 *
 * @param limitBytes the most bytes one cluster's bundle may hold
 * @param workloadBytes what the workload's objects take in a bundle (an estimate from its manifests and overrides)
 * @param usedByOthers by cluster id, the bytes the other workloads' objects take in its bundle (absent: none)
 * @param held by cluster id, what the workload's own objects take in the bundle now (absent: it is not there)
 */
public record BundleBudget(
        long limitBytes, long workloadBytes, Map<String, Long> usedByOthers, Map<String, Held> held) {

    /** No limit: every cluster has room. */
    public static final BundleBudget UNLIMITED = new BundleBudget(Long.MAX_VALUE, 0, Map.of());

    /**
     * What a workload's objects take in a cluster's bundle now.
     *
     * @param bytes measured: its objects as the bundle carries them
     * @param estimatedBytes the estimate of the generation it holds there, to compare with {@code workloadBytes}
     */
    public record Held(long bytes, long estimatedBytes) {}

    public BundleBudget {
        usedByOthers = usedByOthers == null ? Map.of() : Map.copyOf(usedByOthers);
        held = held == null ? Map.of() : Map.copyOf(held);
    }

    /** A budget for a workload that no cluster's bundle carries yet. */
    public BundleBudget(long limitBytes, long workloadBytes, Map<String, Long> usedByOthers) {
        this(limitBytes, workloadBytes, usedByOthers, Map.of());
    }

    /** The bytes the other workloads take in the cluster's bundle. */
    public long used(String clusterId) {
        return usedByOthers.getOrDefault(clusterId, 0L);
    }

    /** How many more bytes the workload would take in the cluster's bundle than it does now (all of them: a newcomer). */
    public long growth(String clusterId) {
        Held h = held.get(clusterId);
        return h == null ? workloadBytes : workloadBytes - h.estimatedBytes();
    }

    /** The bytes the workload's objects take in the cluster's bundle now (0: it is not there). */
    public long heldBytes(String clusterId) {
        Held h = held.get(clusterId);
        return h == null ? 0 : h.bytes();
    }

    /**
     * Whether the workload fits in the cluster's bundle beside the others: an incumbent that does not grow always
     * does (even in a bundle that is over only because the limit was lowered since).
     */
    public boolean fits(String clusterId) {
        long growth = growth(clusterId);
        if (held.containsKey(clusterId) && growth <= 0) {
            return true;
        }
        return used(clusterId) + heldBytes(clusterId) + growth <= limitBytes;
    }
}
