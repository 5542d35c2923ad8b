package io.meridian.policy.domain;

import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.selector.SelectableLabels;
import java.util.Map;

/**
 * What a fleet scope looks at on a cluster: its selectable labels, i.e. its own labels plus the well-known
 * {@code meridian.io/cloud}, {@code meridian.io/region}, {@code meridian.io/environment} and the rest
 * ({@link SelectableLabels}). Computed once per cluster change, not per evaluation.
 */
public record FleetCluster(String clusterId, SelectableLabels labels) {

    /** The cluster of a {@code fleet.clusters.v1} snapshot. */
    public static FleetCluster of(ClusterSnapshot snapshot) {
        return new FleetCluster(snapshot.clusterId(), SelectableLabels.of(snapshot));
    }

    /** A cluster from its registered facts ({@code cloud} as its wire name; null facts add no label). */
    public static FleetCluster of(
            String clusterId, String cloud, String region, String environment, Map<String, String> labels) {
        return new FleetCluster(clusterId, SelectableLabels.of(clusterId, cloud, region, environment, labels));
    }
}
