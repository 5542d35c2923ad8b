package io.meridian.placement.domain;

import java.util.List;

/**
 * What the rollout planner already announced about a workload's moves, so that a repeated step announces nothing
 * twice and a started failover or failback is reported complete once its clusters settle.
 *
 * @param displaced clusters whose failover was announced and that the decision still lists as displaced
 * @param pending failovers and failbacks announced and not completed yet
 * @param suppressionAnnounced whether the decision's failover suppression was announced (once per suppression)
 * @param unmetSpread the spread rules last announced as unmet; empty when the workload was last said not Degraded
 */
public record FailoverLedger(
        List<String> displaced, List<PendingMove> pending, boolean suppressionAnnounced, List<String> unmetSpread) {

    public static final FailoverLedger EMPTY = new FailoverLedger(List.of(), List.of(), false, List.of());

    public FailoverLedger {
        displaced = displaced == null ? List.of() : List.copyOf(displaced);
        pending = pending == null ? List.of() : List.copyOf(pending);
        unmetSpread = unmetSpread == null ? List.of() : List.copyOf(unmetSpread);
    }

    /** Whether a move takes a share away from a lost cluster or gives it back to a returned one. */
    public enum MoveKind {
        FAILOVER,
        FAILBACK
    }

    /**
     * A move announced as started: the share leaves {@code from} for {@code to}; it completes when every {@code to}
     * cluster is available and every {@code from} cluster holds only what the decision gives it.
     *
     * @param cause why the workload left the clusters the move is about (a failover's {@code from}, a failback's
     *     {@code to}); null when they were left for different causes, or for a move stored before causes were kept
     */
    public record PendingMove(
            MoveKind kind,
            List<String> from,
            List<String> to,
            double monthlyCostDelta,
            PlacementDecision.Displacement.Cause cause) {

        public PendingMove {
            from = List.copyOf(from);
            to = List.copyOf(to);
        }
    }
}
