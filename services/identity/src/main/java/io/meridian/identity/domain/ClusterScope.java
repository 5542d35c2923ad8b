package io.meridian.identity.domain;

import java.util.Map;
import java.util.TreeMap;

/**
 * Which clusters a grant reaches: every label in {@code labels} must match, and {@code cloud} and {@code
 * environment} when given. An empty scope is the whole fleet.
 */
public record ClusterScope(Map<String, String> labels, String cloud, String environment) {

    public ClusterScope {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public boolean matches(FleetCluster cluster) {
        Map<String, String> selectable = cluster.selectableLabels();
        if (cloud != null && !cloud.equals(cluster.cloud())) {
            return false;
        }
        if (environment != null
                && !environment.equals(selectable.get("meridian.io/environment"))
                && !environment.equals(selectable.get("environment"))) {
            return false;
        }
        return labels.entrySet().stream().allMatch(e -> e.getValue().equals(selectable.get(e.getKey())));
    }

    /** Whether the scope by itself names production clusters. */
    public boolean targetsProd() {
        return FleetCluster.PROD.equals(environment)
                || FleetCluster.PROD.equals(labels.get("environment"))
                || FleetCluster.PROD.equals(labels.get("meridian.io/environment"));
    }

    /**
     * The scope as one equality selector in the selectable-label vocabulary ({@code meridian.io/cloud}, {@code
     * meridian.io/environment}), the shape {@code AccessEvent.clusterSelector} carries.
     */
    public Map<String, String> asSelector() {
        Map<String, String> selector = new TreeMap<>(labels);
        if (cloud != null) {
            selector.put("meridian.io/cloud", cloud);
        }
        if (environment != null) {
            selector.put("meridian.io/environment", environment);
        }
        return selector;
    }
}
