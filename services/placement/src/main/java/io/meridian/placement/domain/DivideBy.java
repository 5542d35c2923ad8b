package io.meridian.placement.domain;

/** How a {@link PlacementMode#DIVIDED} workload's total is split. */
public enum DivideBy {
    /** By the static weights of {@link PlacementPolicy#weights()}. */
    WEIGHTS,
    /** In proportion to each chosen cluster's free allocatable capacity. */
    CAPACITY
}
