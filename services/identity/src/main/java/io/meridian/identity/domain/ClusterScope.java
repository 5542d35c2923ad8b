package io.meridian.identity.domain;

import io.meridian.contracts.selector.ClusterSelector;
import io.meridian.contracts.selector.LabelSelector;
import io.meridian.contracts.selector.Production;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which clusters a grant reaches, as a grant states it: every label in {@code labels} must match, and {@code cloud}
 * and {@code environment} when given. An empty scope is the whole fleet. What matches is decided by the fleet's one
 * {@link ClusterSelector}, so a grant reaches exactly the clusters the same selector reaches in inventory and policy.
 */
public record ClusterScope(Map<String, String> labels, String cloud, String environment) {

    public ClusterScope {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** This scope as a cluster selector: the labels as matchLabels, the cloud and environment as one-element sets. */
    public ClusterSelector selector() {
        return ClusterSelector.of(new LabelSelector(labels, List.of()))
                .withClouds(cloud == null ? List.of() : List.of(cloud))
                .withEnvironments(environment == null ? List.of() : List.of(environment));
    }

    public boolean matches(FleetCluster cluster) {
        return selector().matches(cluster.selectableLabels());
    }

    /** Whether the scope by itself names production clusters. */
    public boolean targetsProd() {
        return Production.isProd(environment, labels);
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
