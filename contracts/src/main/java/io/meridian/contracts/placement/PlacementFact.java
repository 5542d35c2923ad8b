package io.meridian.contracts.placement;

/** The data of an event on {@code fleet.placement.v1}: about one workload, under one of its three keys. */
public sealed interface PlacementFact
        permits WorkloadPlacement,
                RolloutStarted,
                RolloutWaveCompleted,
                RolloutHalted,
                RolloutCompleted,
                FailoverMove,
                FailoverSuppressed {

    String workload();

    /** Which of the workload's keys this fact is published under. */
    PlacementKey placementKey();

    /** The record key on {@code fleet.placement.v1}. */
    default String key() {
        return placementKey().value();
    }
}
