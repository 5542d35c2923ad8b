package io.meridian.inventory.registry;

import io.meridian.contracts.cluster.Cloud;
import java.util.Map;

/**
 * What a user registers about a cluster, apart from its credentials. The name is the cluster's id
 * everywhere in Meridian (Kafka keys, selectors, URLs) and never changes.
 */
public record ClusterSpec(
        String name,
        String displayName,
        Cloud cloud,
        String region,
        String environment,
        Map<String, String> labels,
        String apiServerUrl,
        String metricsUrl) {

    public ClusterSpec {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /**
     * The labels selectors see: the user's labels plus the well-known facts, so a selector can say
     * {@code meridian.io/cloud=aws} or {@code environment=prod} without anyone labelling by hand.
     */
    public Map<String, String> selectableLabels() {
        Map<String, String> all = new java.util.TreeMap<>(labels);
        all.put("meridian.io/cluster", name);
        all.put("meridian.io/cloud", cloud.wireName());
        if (region != null) {
            all.put("meridian.io/region", region);
        }
        if (environment != null) {
            all.putIfAbsent("environment", environment);
            all.put("meridian.io/environment", environment);
        }
        return all;
    }
}
