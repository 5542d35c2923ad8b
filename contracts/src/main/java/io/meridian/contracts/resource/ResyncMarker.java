package io.meridian.contracts.resource;

import java.time.Instant;

/**
 * Brackets a full relist of one cluster: after {@code Completed} of epoch N, every object of that cluster
 * whose last {@code resyncEpoch} is below N is gone. {@code objectCount} is known only on completion.
 */
public record ResyncMarker(String clusterId, long epoch, Phase phase, Integer objectCount, Instant at) {

    /** The key segment after the clusterId; {@code ~} cannot start a Kubernetes API group. */
    public static final String KEY_SUFFIX = "~resync";

    /** Start or end of a resync. */
    public enum Phase {
        Started,
        Completed
    }

    /** The record key on {@code fleet.resources.v1}: {@code clusterId/~resync}. */
    public String key() {
        return key(clusterId);
    }

    public static String key(String clusterId) {
        return clusterId + "/" + KEY_SUFFIX;
    }
}
