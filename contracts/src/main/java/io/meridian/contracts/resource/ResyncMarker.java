package io.meridian.contracts.resource;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Brackets a full relist of one cluster: after {@code Completed} of epoch N, every object of that cluster whose last
 * {@code resyncEpoch} is below N is gone, unless its kind is one of {@code notResynced}. {@code objectCount} is known
 * only on completion.
 *
 * <p>{@code notResynced} (optional, added within v1, only on {@code Completed}) names the kinds this relist could not
 * list completely (forbidden by RBAC, not served, timed out): it says nothing about their objects, so a consumer keeps
 * them as they were. A consumer older than the field ignores it and drops them; {@link #removes} is the rule to use.
 *
 * <p>A kind whose list outlasts the relist's timeout is resynced on its own once listed: another {@code Completed} of
 * the same epoch, without a {@code Started}, naming in {@code notResynced} only the kinds still not listed. The same
 * rule then drops that kind's objects the late list no longer carried, and repeats for the others what the first
 * marker of the epoch said, so that the latest marker (the one a compacted topic keeps) holds the whole relist.
 */
public record ResyncMarker(
        String clusterId,
        long epoch,
        Phase phase,
        Integer objectCount,
        Instant at,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<GroupKind> notResynced) {

    /** The key segment after the clusterId; {@code ~} cannot start a Kubernetes API group. */
    public static final String KEY_SUFFIX = "~resync";

    /** Start or end of a resync. */
    public enum Phase {
        Started,
        Completed
    }

    /** A kind of object, by API group ({@code ""} for the core group) and kind, as record keys name it. */
    public record GroupKind(String apiGroup, String kind) {
        public GroupKind {
            apiGroup = apiGroup == null ? "" : apiGroup;
            Objects.requireNonNull(kind, "kind");
        }

        @Override
        public String toString() {
            return apiGroup.isEmpty() ? kind : kind + "." + apiGroup;
        }
    }

    public ResyncMarker {
        notResynced = notResynced == null ? List.of() : List.copyOf(notResynced);
    }

    /** A marker of a relist in which every kind was listed completely, as producers before {@code notResynced} wrote it. */
    public ResyncMarker(String clusterId, long epoch, Phase phase, Integer objectCount, Instant at) {
        this(clusterId, epoch, phase, objectCount, at, List.of());
    }

    /** The record key on {@code fleet.resources.v1}: {@code clusterId/~resync}. */
    public String key() {
        return key(clusterId);
    }

    public static String key(String clusterId) {
        return clusterId + "/" + KEY_SUFFIX;
    }

    /** Whether this relist listed the kind completely, so that its objects it did not see are gone. */
    public boolean resynced(String apiGroup, String kind) {
        return !notResynced.contains(new GroupKind(apiGroup, kind));
    }

    /**
     * Whether this completed relist means an object of its cluster, of that kind and last confirmed by {@code
     * resyncEpoch}, is gone: it is older than the relist and its kind was listed completely.
     */
    public boolean removes(String apiGroup, String kind, long resyncEpoch) {
        return resyncEpoch < epoch && resynced(apiGroup, kind);
    }

    /**
     * {@link #removes(String, String, long)} for an object known by its record key, {@code
     * clusterId/apiGroup/kind/namespace/name}; a key of another shape is never taken for gone by a partial relist.
     */
    public boolean removesKey(String recordKey, long resyncEpoch) {
        if (resyncEpoch >= epoch) {
            return false;
        }
        if (notResynced.isEmpty()) {
            return true;
        }
        String[] parts = recordKey.split("/", 4);
        return parts.length == 4 && resynced(parts[1], parts[2]);
    }
}
