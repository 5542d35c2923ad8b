package io.meridian.placement.domain;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** Every registered cluster as placement knows it, by cluster id, in a stable order. */
public record FleetView(Map<String, ClusterFacts> clusters) {

    public FleetView {
        clusters = java.util.Collections.unmodifiableMap(new TreeMap<>(clusters));
    }

    public static FleetView of(Collection<ClusterFacts> clusters) {
        Map<String, ClusterFacts> byId = new TreeMap<>();
        clusters.forEach(c -> byId.put(c.clusterId(), c));
        return new FleetView(byId);
    }

    public ClusterFacts get(String clusterId) {
        return clusters.get(clusterId);
    }
}
