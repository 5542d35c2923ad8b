package io.meridian.identity.domain;

import java.util.Map;
import java.util.TreeMap;

/** A cluster of the fleet as identity keeps it from {@code fleet.clusters.v1}: what grants select on. */
public record FleetCluster(String id, String cloud, String region, String environment, Map<String, String> labels) {

    /** The environment value that makes a cluster production, by the guard rails. */
    public static final String PROD = "prod";

    public FleetCluster {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /**
     * The labels a selector sees: the cluster's own plus {@code meridian.io/cluster}, {@code meridian.io/cloud},
     * {@code meridian.io/region}, {@code meridian.io/environment}, and {@code environment} when the cluster has no
     * such label itself (the same convention as inventory's cluster search).
     */
    public Map<String, String> selectableLabels() {
        Map<String, String> all = new TreeMap<>(labels);
        all.put("meridian.io/cluster", id);
        if (cloud != null) {
            all.put("meridian.io/cloud", cloud);
        }
        if (region != null) {
            all.put("meridian.io/region", region);
        }
        if (environment != null) {
            all.putIfAbsent("environment", environment);
            all.put("meridian.io/environment", environment);
        }
        return all;
    }

    /** Labelled or registered as {@code environment=prod}. */
    public boolean isProd() {
        Map<String, String> selectable = selectableLabels();
        return PROD.equals(selectable.get("environment")) || PROD.equals(selectable.get("meridian.io/environment"));
    }
}
