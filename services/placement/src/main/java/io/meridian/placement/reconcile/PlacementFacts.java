package io.meridian.placement.reconcile;

import io.meridian.contracts.EventType;
import io.meridian.contracts.placement.FailoverMove;
import io.meridian.contracts.placement.FailoverSuppressed;
import io.meridian.contracts.placement.PlacementFact;
import io.meridian.contracts.placement.RolloutCompleted;
import io.meridian.contracts.placement.RolloutHalted;
import io.meridian.contracts.placement.RolloutStarted;
import io.meridian.contracts.placement.RolloutWaveCompleted;
import io.meridian.contracts.placement.WorkloadPlacement;
import io.meridian.placement.domain.ClusterFacts;
import io.meridian.placement.domain.FleetView;
import io.meridian.placement.domain.PlacementDecision;
import io.meridian.placement.domain.PlacementEvent;
import io.meridian.placement.domain.Rejection;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * The domain's decisions and events as the facts of {@code fleet.placement.v1}: each with its event type, and the
 * currency the fleet's rates are in (costs mean nothing without it).
 */
public final class PlacementFacts {

    /** A fact ready for the outbox. */
    public record Published(EventType type, PlacementFact fact) {}

    private PlacementFacts() {}

    /** The decision as {@code decision.made} tells it; the costs are in the chosen clusters' currency. */
    public static WorkloadPlacement decision(PlacementDecision d, FleetView fleet) {
        return new WorkloadPlacement(
                d.workload(),
                d.generation(),
                d.chosen().stream()
                        .map(c -> new WorkloadPlacement.ChosenCluster(
                                c.clusterId(),
                                c.name(),
                                c.replicas(),
                                c.score(),
                                priced(fleet.get(c.clusterId())) ? c.monthlyCost() : null))
                        .toList(),
                d.rejected().stream()
                        .map(r -> new WorkloadPlacement.RejectedCluster(
                                r.clusterId(), r.name(), reason(r.reason()), r.detail()))
                        .toList(),
                d.unmetSpread(),
                d.degraded(),
                d.suppressed() == null
                        ? null
                        : new WorkloadPlacement.Suppression(
                                d.suppressed().unreachableClusters(),
                                d.suppressed().reason(),
                                d.suppressed().since()),
                d.displaced().stream()
                        .map(x -> new WorkloadPlacement.Displacement(x.clusterId(), x.lostAt(), x.readyAgainSince()))
                        .toList(),
                d.monthlyCost(),
                currency(
                                fleet,
                                d.chosen().stream()
                                        .map(PlacementDecision.ChosenCluster::clusterId)
                                        .toList())
                        .orElse(null),
                d.decidedAt());
    }

    /**
     * A planner event as its fact, or empty for one the topic has no type for (a workload's degradation travels in
     * its decision, whose {@code degraded} and {@code unmetSpread} say it).
     */
    public static Optional<Published> event(PlacementEvent event, String currency, Instant at) {
        return Optional.ofNullable(
                switch (event) {
                    case PlacementEvent.RolloutStarted e ->
                        new Published(
                                EventType.ROLLOUT_STARTED,
                                new RolloutStarted(e.workload(), e.generation(), e.fromGeneration(), e.waves(), at));
                    case PlacementEvent.WaveCompleted e ->
                        new Published(
                                EventType.ROLLOUT_WAVE_COMPLETED,
                                new RolloutWaveCompleted(e.workload(), e.generation(), e.wave(), e.clusters(), at));
                    case PlacementEvent.RolloutHalted e ->
                        new Published(
                                EventType.ROLLOUT_HALTED,
                                new RolloutHalted(
                                        e.workload(),
                                        e.generation(),
                                        e.cluster(),
                                        e.condition(),
                                        e.message(),
                                        e.object(),
                                        at));
                    case PlacementEvent.RolloutCompleted e ->
                        new Published(
                                EventType.ROLLOUT_COMPLETED, new RolloutCompleted(e.workload(), e.generation(), at));
                    case PlacementEvent.FailoverStarted e ->
                        new Published(
                                EventType.FAILOVER_STARTED,
                                FailoverMove.of(
                                        e.workload(),
                                        e.from(),
                                        e.to(),
                                        e.monthlyCostDelta(),
                                        currency,
                                        cause(e.cause()),
                                        at));
                    case PlacementEvent.FailoverCompleted e ->
                        new Published(
                                EventType.FAILOVER_COMPLETED,
                                FailoverMove.of(
                                        e.workload(),
                                        e.from(),
                                        e.to(),
                                        e.monthlyCostDelta(),
                                        currency,
                                        cause(e.cause()),
                                        at));
                    case PlacementEvent.FailbackCompleted e ->
                        new Published(
                                EventType.FAILBACK_COMPLETED,
                                FailoverMove.of(
                                        e.workload(),
                                        e.from(),
                                        e.to(),
                                        e.monthlyCostDelta(),
                                        currency,
                                        cause(e.cause()),
                                        at));
                    case PlacementEvent.FailoverSuppressed e ->
                        new Published(
                                EventType.FAILOVER_SUPPRESSED,
                                new FailoverSuppressed(e.workload(), e.unreachableClusters(), e.reason(), at));
                    case PlacementEvent.DegradedChanged ignored -> null;
                });
    }

    /**
     * The currency of the first of {@code clusters} that published rates, else of any cluster of the fleet that did;
     * empty while none did.
     */
    public static Optional<String> currency(FleetView fleet, Collection<String> clusters) {
        for (String id : clusters) {
            ClusterFacts c = fleet.get(id);
            if (priced(c)) {
                return Optional.of(c.rates().currency());
            }
        }
        return fleet.clusters().values().stream()
                .filter(PlacementFacts::priced)
                .map(c -> c.rates().currency())
                .findFirst();
    }

    private static boolean priced(ClusterFacts c) {
        return c != null && c.rates() != null && c.rates().currency() != null;
    }

    static FailoverMove.Cause cause(PlacementDecision.Displacement.Cause cause) {
        return cause == null
                ? null
                : switch (cause) {
                    case CLUSTER_LOST -> FailoverMove.Cause.ClusterLost;
                    case WORKLOAD_UNHEALTHY -> FailoverMove.Cause.WorkloadUnhealthy;
                };
    }

    static WorkloadPlacement.RejectionReason reason(Rejection r) {
        return switch (r) {
            case NOT_SELECTED -> WorkloadPlacement.RejectionReason.NotSelected;
            case NOT_READY -> WorkloadPlacement.RejectionReason.NotReady;
            case NO_CAPACITY -> WorkloadPlacement.RejectionReason.NoCapacity;
            case SPREAD -> WorkloadPlacement.RejectionReason.Spread;
            case MAX_CLUSTERS -> WorkloadPlacement.RejectionReason.MaxClusters;
            case COST_RANK -> WorkloadPlacement.RejectionReason.CostRank;
            case BUNDLE_FULL -> WorkloadPlacement.RejectionReason.BundleFull;
        };
    }
}
