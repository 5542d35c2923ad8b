package io.meridian.placement.domain;

import java.util.Map;

/**
 * How much room each cluster's one placement bundle has left for a workload: every workload placed on a cluster
 * travels in that cluster's bundle, a single Kafka record, so a bundle past {@code limitBytes} would reach the
 * cluster for no workload at all. Sizes are the objects as JSON (UTF-8, uncompressed).
 *
 * <p>A workload fits when its estimate (every manifest and every override as JSON, plus the most rendering adds: a
 * bound of what it renders on any cluster, {@link BundleRenderer#bytesAddedAtMost}) fits beside the others' bytes.
 * Where that fails and the workload is already in the bundle (an incumbent), it is judged by what its current
 * generation renders there ({@link #admits}): it keeps its place when that is no more than it holds now, or fits beside
 * the others, so that neither a bundle another workload filled later nor an estimate larger than the rendering pushes
 * it out. The reconciler checks every bundle it declares by the same rule.
 *
 * @param limitBytes the most bytes one cluster's bundle may hold
 * @param workloadBytes what the workload's objects take in a bundle (a bound from its manifests and overrides)
 * @param usedByOthers by cluster id, the bytes the other workloads' objects take in its bundle (absent: none)
 * @param heldBytes by cluster id, what the workload's objects take in the bundle now (absent: it is not there)
 * @param rendered by cluster id, what its current generation renders there, for an incumbent whose estimate does not
 *     fit (absent: not rendered)
 */
public record BundleBudget(
        long limitBytes,
        long workloadBytes,
        Map<String, Long> usedByOthers,
        Map<String, Long> heldBytes,
        Map<String, Rendered> rendered) {

    /**
     * What the workload's current generation renders on a cluster, rendered before the decision at the replicas it
     * runs there now.
     *
     * @param bytes its objects as JSON
     * @param toleranceBytes how much the declared objects may differ from it (the replica count of a share that the
     *     decision changes, a few digits per object): the declaration is checked with the same tolerance
     */
    public record Rendered(long bytes, long toleranceBytes) {}

    /** No limit: every cluster has room. */
    public static final BundleBudget UNLIMITED = new BundleBudget(Long.MAX_VALUE, 0, Map.of());

    public BundleBudget {
        usedByOthers = usedByOthers == null ? Map.of() : Map.copyOf(usedByOthers);
        heldBytes = heldBytes == null ? Map.of() : Map.copyOf(heldBytes);
        rendered = rendered == null ? Map.of() : Map.copyOf(rendered);
    }

    /** A budget for a workload that no cluster's bundle carries yet. */
    public BundleBudget(long limitBytes, long workloadBytes, Map<String, Long> usedByOthers) {
        this(limitBytes, workloadBytes, usedByOthers, Map.of(), Map.of());
    }

    /** The bytes the other workloads take in the cluster's bundle. */
    public long used(String clusterId) {
        return usedByOthers.getOrDefault(clusterId, 0L);
    }

    /** The bytes the workload's objects take in the cluster's bundle now (0: it is not there). */
    public long held(String clusterId) {
        return heldBytes.getOrDefault(clusterId, 0L);
    }

    /** Whether the workload's estimate does not fit, but it is in the bundle and must be judged by its rendering. */
    public boolean needsRendering(String clusterId) {
        return used(clusterId) + workloadBytes > limitBytes && held(clusterId) > 0;
    }

    /** Whether the workload fits in the cluster's bundle beside the others. */
    public boolean fits(String clusterId) {
        if (used(clusterId) + workloadBytes <= limitBytes) {
            return true;
        }
        Rendered r = rendered.get(clusterId);
        // Judged by the rendering and checked again by admits() on the declared bundle: the tolerance makes this the
        // stricter of the two, so a cluster found to fit here is never refused there.
        return r != null
                && (used(clusterId) + r.bytes() + r.toleranceBytes() <= limitBytes || r.bytes() <= held(clusterId));
    }

    /**
     * The rule for declaring a bundle that changes a workload's objects: it may hold at most {@code limitBytes}, unless
     * the workload takes no more bytes in it than it held before, give or take {@code toleranceBytes} (a bundle over
     * the limit only because the limit was lowered, or because others filled it, still lets a workload stay as it is).
     *
     * @param bundleBytes the whole bundle with the workload's new objects
     * @param ownBytes the workload's new objects in it
     * @param heldBytes the workload's objects in the bundle before (0: it was not there)
     */
    public static boolean admits(
            long bundleBytes, long ownBytes, long heldBytes, long limitBytes, long toleranceBytes) {
        return bundleBytes <= limitBytes || (heldBytes > 0 && ownBytes <= heldBytes + toleranceBytes);
    }
}
