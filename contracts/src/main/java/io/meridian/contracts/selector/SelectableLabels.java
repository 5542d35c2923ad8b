package io.meridian.contracts.selector;

import io.meridian.contracts.cluster.ClusterSnapshot;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The labels a selector sees on a cluster: its own labels plus the well-known facts Meridian knows about it, so
 * that {@code meridian.io/cloud=aws} or {@code environment=prod} selects clusters without anyone labelling by hand.
 * This is the one definition for the fleet; every service matches selectors against it.
 *
 * <p>The well-known labels win over a user's label of the same key, except {@code environment}, which is the
 * registered environment only when the cluster has no such label itself.
 */
public final class SelectableLabels {

    /** The cluster's id (its registered name). */
    public static final String CLUSTER = "meridian.io/cluster";

    /** The cloud's wire name: aws, azure, gcp, onprem or other. */
    public static final String CLOUD = "meridian.io/cloud";

    /** The registered region, when there is one. */
    public static final String REGION = "meridian.io/region";

    /** The registered environment, when there is one. */
    public static final String ENVIRONMENT = "meridian.io/environment";

    /** The plain {@code environment} label, filled in from the registered environment when the user set none. */
    public static final String ENVIRONMENT_LABEL = "environment";

    private final SortedMap<String, String> labels;

    private SelectableLabels(SortedMap<String, String> labels) {
        this.labels = Collections.unmodifiableSortedMap(labels);
    }

    /** The selectable labels of a cluster as {@code fleet.clusters.v1} describes it. */
    public static SelectableLabels of(ClusterSnapshot cluster) {
        return of(
                cluster.clusterId(),
                cluster.cloud() == null ? null : cluster.cloud().wireName(),
                cluster.region(),
                cluster.environment(),
                cluster.labels());
    }

    /**
     * The selectable labels of a cluster from its registered facts; {@code cloud} is the wire name, and a null or
     * empty fact adds no label.
     */
    public static SelectableLabels of(
            String clusterId, String cloud, String region, String environment, Map<String, String> labels) {
        SortedMap<String, String> all = new TreeMap<>();
        if (labels != null) {
            labels.forEach((key, value) -> {
                if (key != null && value != null) {
                    all.put(key, value);
                }
            });
        }
        putIfPresent(all, CLUSTER, clusterId);
        putIfPresent(all, CLOUD, cloud);
        putIfPresent(all, REGION, region);
        if (environment != null && !environment.isEmpty()) {
            all.putIfAbsent(ENVIRONMENT_LABEL, environment);
            all.put(ENVIRONMENT, environment);
        }
        return new SelectableLabels(all);
    }

    private static void putIfPresent(Map<String, String> labels, String key, String value) {
        if (value != null && !value.isEmpty()) {
            labels.put(key, value);
        }
    }

    /** The value of one label, or null. */
    public String get(String key) {
        return labels.get(key);
    }

    /** All labels, sorted by key, unmodifiable. */
    public Map<String, String> asMap() {
        return labels;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SelectableLabels other && labels.equals(other.labels);
    }

    @Override
    public int hashCode() {
        return labels.hashCode();
    }

    @Override
    public String toString() {
        return labels.toString();
    }
}
