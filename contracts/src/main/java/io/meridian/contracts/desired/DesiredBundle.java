package io.meridian.contracts.desired;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything one owner service wants on one cluster, as whole Kubernetes manifests, with a generation that
 * increases with every change. Inventory applies it with server-side-apply semantics and prunes what left the bundle;
 * {@code adopt} lets it take over existing objects of the same name that nobody manages.
 */
public record DesiredBundle(
        String owner,
        String clusterId,
        long generation,
        DriftPolicy driftPolicy,
        boolean adopt,
        List<Map<String, Object>> objects,
        Instant declaredAt) {

    public DesiredBundle {
        // Manifests may hold null values, so only the list is copied, not each map.
        objects = objects == null ? List.of() : List.copyOf(objects);
    }

    /** The record key on the owner's desired topic ({@code fleet.desired.<owner>.v1}). */
    public String key() {
        return key(owner, clusterId);
    }

    /** {@code owner/clusterId}. */
    public static String key(String owner, String clusterId) {
        return owner + "/" + clusterId;
    }
}
