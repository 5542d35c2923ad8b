package io.meridian.placement.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Everything {@link PlacementScheduler#schedule} needs to decide where a workload runs: the workload, the fleet as
 * placement sees it, the decision in force, an operator's approvals, and the time.
 *
 * @param previous the decision in force; null when the workload was never placed
 * @param failoverApproved an operator approved the failover a {@link PlacementDecision.FailoverSuppression} holds
 * @param failbackApproved the clusters an operator released for a manual failback
 * @param previousPolicy the policy {@code previous} was made under, when the caller knows it; null means unchanged.
 *     A different policy is a reason to move: the clusters are ranked again, the previous ones winning only ties.
 * @param workloadUnhealthy the clusters where the workload itself has been unavailable for {@code
 *     failover.unhealthyAfter} (the caller shows them as not Ready in {@code fleet}): a failover from them is recorded
 *     as {@link PlacementDecision.Displacement.Cause#WORKLOAD_UNHEALTHY} and fails back only when an operator releases
 *     it
 * @param bundleBudget the room left in each cluster's bundle for the workload; a cluster without room for it is not a
 *     candidate ({@link Rejection#BUNDLE_FULL}); null means no limit
 */
public record SchedulingRequest(
        Workload workload,
        FleetView fleet,
        PlacementDecision previous,
        boolean failoverApproved,
        Set<String> failbackApproved,
        Instant now,
        PlacementPolicy previousPolicy,
        Set<String> workloadUnhealthy,
        BundleBudget bundleBudget) {

    public SchedulingRequest {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(fleet, "fleet");
        Objects.requireNonNull(now, "now");
        failbackApproved = failbackApproved == null ? Set.of() : Set.copyOf(failbackApproved);
        workloadUnhealthy = workloadUnhealthy == null ? Set.of() : Set.copyOf(workloadUnhealthy);
        bundleBudget = bundleBudget == null ? BundleBudget.UNLIMITED : bundleBudget;
    }

    /** A request without a bundle limit. */
    public SchedulingRequest(
            Workload workload,
            FleetView fleet,
            PlacementDecision previous,
            boolean failoverApproved,
            Set<String> failbackApproved,
            Instant now,
            PlacementPolicy previousPolicy,
            Set<String> workloadUnhealthy) {
        this(
                workload,
                fleet,
                previous,
                failoverApproved,
                failbackApproved,
                now,
                previousPolicy,
                workloadUnhealthy,
                BundleBudget.UNLIMITED);
    }

    /** A request where the workload is unhealthy on no cluster beyond what {@code fleet} says. */
    public SchedulingRequest(
            Workload workload,
            FleetView fleet,
            PlacementDecision previous,
            boolean failoverApproved,
            Set<String> failbackApproved,
            Instant now,
            PlacementPolicy previousPolicy) {
        this(workload, fleet, previous, failoverApproved, failbackApproved, now, previousPolicy, Set.of());
    }

    /** A request whose previous decision was made under the workload's current policy (or that has none). */
    public SchedulingRequest(
            Workload workload,
            FleetView fleet,
            PlacementDecision previous,
            boolean failoverApproved,
            Set<String> failbackApproved,
            Instant now) {
        this(workload, fleet, previous, failoverApproved, failbackApproved, now, null, Set.of());
    }

    /** Whether {@code previous} was made under another policy than the workload's current one. */
    public boolean policyChanged() {
        return previousPolicy != null && !previousPolicy.equals(workload.placement());
    }
}
