package io.meridian.placement.domain;

import io.meridian.contracts.selector.ClusterSelector;
import java.util.List;

/**
 * Where a workload may run and how the clusters are chosen: the fleet's one {@link ClusterSelector}, a mode, how
 * many clusters, spread rules, and a preference among the candidates.
 *
 * @param replicas the total of a {@link PlacementMode#DIVIDED} workload; ignored when duplicated (the manifests'
 *     replicas are used on every cluster)
 * @param weights static weights for {@link DivideBy#WEIGHTS}; a cluster no weight selects weighs 1
 */
public record PlacementPolicy(
        ClusterSelector clusterSelector,
        PlacementMode mode,
        int replicas,
        DivideBy divideBy,
        List<StaticWeight> weights,
        ClusterRange clusters,
        List<SpreadConstraint> spread,
        Preference prefer) {

    /** Every Ready cluster of the fleet, duplicated, cheapest first. */
    public static final PlacementPolicy DEFAULT = new PlacementPolicy(
            ClusterSelector.ALL,
            PlacementMode.DUPLICATED,
            0,
            DivideBy.WEIGHTS,
            List.of(),
            ClusterRange.ANY,
            List.of(),
            new Preference.Cheapest());

    public PlacementPolicy {
        clusterSelector = clusterSelector == null ? ClusterSelector.ALL : clusterSelector;
        mode = mode == null ? PlacementMode.DUPLICATED : mode;
        divideBy = divideBy == null ? DivideBy.WEIGHTS : divideBy;
        weights = weights == null ? List.of() : List.copyOf(weights);
        clusters = clusters == null ? ClusterRange.ANY : clusters;
        spread = spread == null ? List.of() : List.copyOf(spread);
        prefer = prefer == null ? new Preference.Cheapest() : prefer;
    }

    /** A weight for the clusters a selector picks. */
    public record StaticWeight(ClusterSelector clusters, int weight) {}

    /** At least {@code min} and at most {@code max} clusters. */
    public record ClusterRange(int min, int max) {

        public static final ClusterRange ANY = new ClusterRange(1, Integer.MAX_VALUE);
    }

    /**
     * The chosen clusters cover at least {@code min} distinct values of {@code by}: {@code cloud}, {@code region},
     * {@code environment}, or any cluster label key.
     */
    public record SpreadConstraint(String by, int min) {}
}
