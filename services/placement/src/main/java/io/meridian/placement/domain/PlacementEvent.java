package io.meridian.placement.domain;

import java.util.List;

/**
 * Something a user or an alert should know about a workload's rollout or failover; each becomes one event on
 * {@code fleet.placement.v1} (key: the workload).
 */
public sealed interface PlacementEvent {

    String workload();

    record RolloutStarted(String workload, long generation, long fromGeneration, List<List<String>> waves)
            implements PlacementEvent {}

    record WaveCompleted(String workload, long generation, int wave, List<String> clusters) implements PlacementEvent {}

    /**
     * A cluster failed its health gate; {@code condition} is the Kubernetes reason, {@code message} says more, {@code
     * object} names the object to blame when there is one (an apply that failed), else null.
     */
    record RolloutHalted(
            String workload, long generation, String cluster, String condition, String object, String message)
            implements PlacementEvent {}

    record RolloutCompleted(String workload, long generation) implements PlacementEvent {}

    /**
     * The share of {@code from} moves to {@code to}; {@code monthlyCostDelta} in the rates' currency (+ dearer);
     * {@code cause} why {@code from} was left, null when its clusters were left for different causes.
     */
    record FailoverStarted(
            String workload,
            List<String> from,
            List<String> to,
            double monthlyCostDelta,
            PlacementDecision.Displacement.Cause cause)
            implements PlacementEvent {}

    /** The replacement is available on {@code to}; only now was anything taken away from {@code from}. */
    record FailoverCompleted(
            String workload,
            List<String> from,
            List<String> to,
            double monthlyCostDelta,
            PlacementDecision.Displacement.Cause cause)
            implements PlacementEvent {}

    record FailoverSuppressed(String workload, List<String> unreachableClusters, String reason)
            implements PlacementEvent {}

    /**
     * The share is back on {@code to} (the returned clusters) and taken away from {@code from}; {@code cause} is why
     * the workload had left {@code to}.
     */
    record FailbackCompleted(
            String workload,
            List<String> from,
            List<String> to,
            double monthlyCostDelta,
            PlacementDecision.Displacement.Cause cause)
            implements PlacementEvent {}

    /** A spread rule can no longer be met (or is met again: {@code unmetSpread} empty). */
    record DegradedChanged(String workload, List<String> unmetSpread) implements PlacementEvent {}
}
