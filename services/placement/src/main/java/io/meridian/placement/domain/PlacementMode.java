package io.meridian.placement.domain;

/** How replicas relate to the chosen clusters. */
public enum PlacementMode {
    /** Every chosen cluster runs the full replica count of the manifests. */
    DUPLICATED,
    /** A total replica count is split over the chosen clusters. */
    DIVIDED
}
