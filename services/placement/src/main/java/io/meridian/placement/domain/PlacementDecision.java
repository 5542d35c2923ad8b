package io.meridian.placement.domain;

import java.time.Instant;
import java.util.List;

/**
 * Where one generation of a workload runs and why: the chosen clusters with their replica share, score and monthly
 * cost, every other cluster with the reason it was not chosen, the spread rules that could not be met (the workload
 * is then Degraded), a failover held back for an operator, the clusters it failed over from, and when the answer
 * could change by time alone.
 *
 * @param nextReviewAt when a timer (a grace period, a stable-for) may change the decision; null when only an event can
 */
public record PlacementDecision(
        String workload,
        long generation,
        List<ChosenCluster> chosen,
        List<RejectedCluster> rejected,
        List<String> unmetSpread,
        FailoverSuppression suppressed,
        List<Displacement> displaced,
        double monthlyCost,
        Instant decidedAt,
        Instant nextReviewAt) {

    public PlacementDecision {
        chosen = List.copyOf(chosen);
        rejected = List.copyOf(rejected);
        unmetSpread = unmetSpread == null ? List.of() : List.copyOf(unmetSpread);
        displaced = displaced == null ? List.of() : List.copyOf(displaced);
    }

    public boolean degraded() {
        return !unmetSpread.isEmpty();
    }

    /** A chosen cluster: its replica count, its score (higher is better) and its monthly cost. */
    public record ChosenCluster(String clusterId, String name, int replicas, double score, double monthlyCost) {}

    /** A cluster not chosen, why, and the numbers behind it ("needs 2000m CPU, 1500m free"). */
    public record RejectedCluster(String clusterId, String name, Rejection reason, String detail) {}

    /**
     * A failover that did not happen because too many clusters vanished at once (more likely Meridian's own network
     * than the clouds): the clusters, and the rule that held it back. An operator's {@code POST .../failover} lifts it.
     */
    public record FailoverSuppression(List<String> unreachableClusters, String reason, Instant since) {}

    /**
     * A cluster the workload failed over from, kept so that it comes back there ({@code failback}): since when it is
     * Ready again (null while it is not), the clusters chosen in its place, which a failback gives up again when the
     * policy's count leaves no room for both, and why it was left.
     *
     * @param cause why the workload left; a {@link Cause#WORKLOAD_UNHEALTHY} displacement comes back only when an
     *     operator releases it, whatever the failback policy, since the cluster being Ready says nothing about the
     *     workload running there again; null (a decision stored before the cause existed) reads as cluster lost
     */
    public record Displacement(
            String clusterId, Instant lostAt, Instant readyAgainSince, List<String> replacedBy, Cause cause) {

        public Displacement {
            replacedBy = replacedBy == null ? List.of() : List.copyOf(replacedBy);
            cause = cause == null ? Cause.CLUSTER_LOST : cause;
        }

        /** A displacement because the cluster was lost. */
        public Displacement(String clusterId, Instant lostAt, Instant readyAgainSince, List<String> replacedBy) {
            this(clusterId, lostAt, readyAgainSince, replacedBy, Cause.CLUSTER_LOST);
        }

        /** A displacement because the cluster was lost, whose replacements are not known. */
        public Displacement(String clusterId, Instant lostAt, Instant readyAgainSince) {
            this(clusterId, lostAt, readyAgainSince, List.of(), Cause.CLUSTER_LOST);
        }

        /** Why the workload left a cluster. */
        public enum Cause {
            /** The cluster was Unreachable or not Ready past {@code failover.after}. */
            CLUSTER_LOST,
            /** The cluster was fine but the workload unavailable there for {@code failover.unhealthyAfter}. */
            WORKLOAD_UNHEALTHY
        }
    }
}
