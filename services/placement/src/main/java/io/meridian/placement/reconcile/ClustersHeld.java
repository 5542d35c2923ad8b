package io.meridian.placement.reconcile;

import java.util.Set;

/**
 * The clusters the fleet view holds anything of, announced at every housekeeping run once the view caught up: whatever
 * a bean remembers per cluster keeps only these. Announced every run, not only when a cluster is forgotten, so a
 * reconcile that was in flight when a cluster went (and put it back in a memory) is cleaned up by the next run.
 *
 * @param clusterIds the clusters held, registered or recently deregistered
 */
public record ClustersHeld(Set<String> clusterIds) {

    public ClustersHeld {
        clusterIds = Set.copyOf(clusterIds);
    }
}
