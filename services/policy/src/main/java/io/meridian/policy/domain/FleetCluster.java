package io.meridian.policy.domain;

import java.util.Map;

/** What a fleet scope looks at on a cluster: its labels, cloud and environment. */
public record FleetCluster(String clusterId, String cloud, String environment, Map<String, String> labels) {
    public FleetCluster {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
