package io.meridian.placement.reconcile;

import java.util.Set;

/**
 * Clusters the fleet view forgot (deregistered longer than the TTL): whatever a bean remembers per cluster goes too.
 *
 * @param clusterIds the forgotten clusters
 */
public record ClustersForgotten(Set<String> clusterIds) {

    public ClustersForgotten {
        clusterIds = Set.copyOf(clusterIds);
    }
}
