package io.meridian.contracts.cost;

import java.time.Instant;
import java.util.Optional;

/**
 * What one cluster charges, from its node mix and the price catalog: per CPU core-hour, GiB-hour of memory and
 * GPU-hour, and the share of its nodes on spot instances. Keyed {@code rates/<clusterId>} on {@code fleet.cost.v1}, so it
 * never shares a key with a scope's summaries and budget events; a reader keeps the latest record per key, and a
 * tombstone of the key withdraws the cluster's rates. Cost republishes every cluster's rates at least once a day, so the
 * latest always lies within the topic's retention.
 *
 * @param gpuHour 0 when the cluster has no GPU nodes
 * @param spotShare the fraction of the cluster's nodes on spot or preemptible instances, 0 to 1
 */
public record ClusterRatesPublished(
        String clusterId,
        String currency,
        double cpuCoreHour,
        double memoryGibHour,
        double gpuHour,
        double spotShare,
        int nodeCount,
        Instant computedAt) {

    /** What every rates key starts with; no scope does (scopes are {@code cluster:}, {@code namespace:}, ...). */
    public static final String KEY_PREFIX = "rates/";

    /** The record key on {@code fleet.cost.v1}: {@code rates/<clusterId>}. */
    public String key() {
        return key(clusterId);
    }

    /** The rates key of a cluster. */
    public static String key(String clusterId) {
        return KEY_PREFIX + clusterId;
    }

    /** The cluster of a rates key; empty for any other key of {@code fleet.cost.v1}. */
    public static Optional<String> clusterIdOf(String key) {
        if (key == null || !key.startsWith(KEY_PREFIX) || key.length() == KEY_PREFIX.length()) {
            return Optional.empty();
        }
        return Optional.of(key.substring(KEY_PREFIX.length()));
    }
}
