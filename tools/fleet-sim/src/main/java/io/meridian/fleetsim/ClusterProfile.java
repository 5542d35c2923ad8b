package io.meridian.fleetsim;

import java.util.Map;

/**
 * Who a simulated cluster is: name, cloud, region, environment and labels, plus the seed its contents grow from.
 *
 * @param seed the seed of this cluster's objects and metrics, derived from the fleet seed and the name
 */
public record ClusterProfile(
        String name,
        String displayName,
        Cloud cloud,
        Cloud.Region region,
        String environment,
        Map<String, String> labels,
        long seed) {

    public ClusterProfile {
        // Insertion order kept: fleet.json lists labels as the layout wrote them.
        labels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
    }
}
