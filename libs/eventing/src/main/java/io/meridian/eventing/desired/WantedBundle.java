package io.meridian.eventing.desired;

import io.meridian.contracts.desired.DriftPolicy;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one owner wants on one cluster, with the settings a {@link io.meridian.contracts.desired.DesiredBundle}
 * carries; no objects means nothing is wanted there, which retracts the bundle.
 */
public record WantedBundle(
        String clusterId, DriftPolicy driftPolicy, boolean adopt, List<Map<String, Object>> objects) {

    public WantedBundle {
        if (clusterId == null || clusterId.isBlank()) {
            throw new IllegalArgumentException("clusterId is required");
        }
        Objects.requireNonNull(driftPolicy, "driftPolicy");
        // Manifests may hold null values, so only the list is copied, as DesiredBundle does.
        objects = objects == null ? List.of() : List.copyOf(objects);
    }

    /** The objects, repaired on drift and never adopting what someone else made: what owners want by default. */
    public static WantedBundle of(String clusterId, List<Map<String, Object>> objects) {
        return new WantedBundle(clusterId, DriftPolicy.REPAIR, false, objects);
    }

    /** Nothing on the cluster: the owner's bundle there is withdrawn. */
    public static WantedBundle nothing(String clusterId) {
        return of(clusterId, List.of());
    }

    public boolean isNothing() {
        return objects.isEmpty();
    }
}
