package io.meridian.contracts.placement;

import java.time.Instant;
import java.util.List;

/**
 * Where one generation of a workload runs and why, as {@code GET /api/v1/workloads/{name}/placement} explains it: the
 * chosen clusters with their replica share, score and estimated monthly cost, every other cluster with the reason it
 * was not chosen, the spread rules that cannot be met ({@code degraded} is then true), a failover held back for an
 * operator, and the clusters the workload failed over from. Published whenever the decision changes.
 *
 * @param monthlyCost the sum of the chosen clusters' monthly costs that are known, in {@code currency}
 * @param currency ISO 4217 code of every cost here; {@code null} when no chosen cluster has published rates yet
 * @param suppressed a failover that did not happen, waiting for an operator; {@code null} when none
 */
public record WorkloadPlacement(
        String workload,
        long generation,
        List<ChosenCluster> chosen,
        List<RejectedCluster> rejected,
        List<String> unmetSpread,
        boolean degraded,
        Suppression suppressed,
        List<Displacement> displaced,
        double monthlyCost,
        String currency,
        Instant decidedAt)
        implements PlacementFact {

    public WorkloadPlacement {
        chosen = chosen == null ? List.of() : List.copyOf(chosen);
        rejected = rejected == null ? List.of() : List.copyOf(rejected);
        unmetSpread = unmetSpread == null ? List.of() : List.copyOf(unmetSpread);
        displaced = displaced == null ? List.of() : List.copyOf(displaced);
    }

    @Override
    public PlacementKey placementKey() {
        return PlacementKey.decision(workload);
    }

    /**
     * A chosen cluster: its replica share, its score (higher is better) and what the share costs a month at the
     * cluster's rates ({@code null} while the cluster has published no rates).
     */
    public record ChosenCluster(String clusterId, String name, int replicas, double score, Double monthlyCost) {}

    /** A cluster not chosen, why, and the numbers behind it in words ("needs 2000m CPU, 1500m free"). */
    public record RejectedCluster(String clusterId, String name, RejectionReason reason, String detail) {}

    /** Why a cluster was not chosen, Kubernetes-reason style on the wire. */
    public enum RejectionReason {
        /** The workload's cluster selector does not match the cluster. */
        NotSelected,
        /** The cluster is not Ready (or, for this workload, unhealthy for too long). */
        NotReady,
        /** Too little free allocatable CPU, memory or GPU for the share. */
        NoCapacity,
        /** Choosing it would not help, or would break, a spread rule. */
        Spread,
        /** The policy's maximum number of clusters was reached by better-ranked ones. */
        MaxClusters,
        /** Eligible, but others ranked better by the policy's preference (cost, free capacity, labels). */
        CostRank,
        /**
         * The workload's objects would not fit in the cluster's one bundle (a single Kafka record) beside the workloads
         * already there; the detail gives the bytes used and the limit. Added in a minor version.
         */
        BundleFull
    }

    /**
     * A failover held back because too many clusters vanished at once (more likely Meridian's own network than the
     * clouds): the clusters, the rule that held it back, and since when. {@code POST .../failover} releases it.
     */
    public record Suppression(List<String> unreachableClusters, String reason, Instant since) {

        public Suppression {
            unreachableClusters = unreachableClusters == null ? List.of() : List.copyOf(unreachableClusters);
        }
    }

    /**
     * A cluster the workload failed over from, remembered for the failback: when it was lost and since when it is
     * Ready again ({@code null} while it is not).
     */
    public record Displacement(String clusterId, Instant lostAt, Instant readyAgainSince) {}
}
