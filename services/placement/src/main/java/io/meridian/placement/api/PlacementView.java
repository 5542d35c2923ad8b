package io.meridian.placement.api;

import io.meridian.contracts.placement.WorkloadPlacement;
import io.meridian.placement.domain.Assignment;
import io.meridian.placement.domain.ClusterObservation;
import io.meridian.placement.domain.RolloutPhase;
import io.meridian.placement.domain.RolloutState;
import io.meridian.placement.domain.WorkloadProgress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Where a workload runs and why, and how its rollout stands: the last decision as {@code decision.made} publishes it
 * (chosen clusters with replicas, score and monthly cost; every other cluster with its reason; unmet spread rules; a
 * suppressed failover; the total and its currency), the rollout, and per cluster what it is told and what it shows.
 *
 * @param decided false until the reconciler made a first decision; the decision fields are then empty
 * @param generation the workload's current generation
 * @param decisionGeneration the generation the decision was made for
 */
public record PlacementView(
        String workload,
        long generation,
        boolean decided,
        long decisionGeneration,
        List<WorkloadPlacement.ChosenCluster> chosen,
        List<WorkloadPlacement.RejectedCluster> rejected,
        List<String> unmetSpread,
        boolean degraded,
        WorkloadPlacement.Suppression suppressed,
        List<WorkloadPlacement.Displacement> displaced,
        double monthlyCost,
        String currency,
        Instant decidedAt,
        Rollout rollout,
        List<ClusterState> clusters) {

    /**
     * The rollout of {@code targetGeneration}: its phase and since when, its waves (canary first) and how many are
     * done, and where and why it halted.
     */
    public record Rollout(
            RolloutPhase phase,
            long targetGeneration,
            long stableGeneration,
            List<List<String>> waves,
            int wavesCompleted,
            Instant phaseSince,
            String haltedCluster,
            String haltReason) {

        static Rollout of(RolloutState r) {
            return new Rollout(
                    r.phase(),
                    r.targetGeneration(),
                    r.stableGeneration(),
                    r.waves(),
                    r.wavesCompleted(),
                    r.phaseSince(),
                    r.haltedCluster(),
                    r.haltReason());
        }
    }

    /**
     * One cluster of the workload: what it is told to run (generation, replicas) and what the fleet shows there (the
     * generation inventory applied, whether it is available, and if not the Kubernetes condition and since when).
     */
    public record ClusterState(
            String clusterId,
            long assignedGeneration,
            int replicas,
            long appliedGeneration,
            boolean available,
            String condition,
            Instant unavailableSince) {}

    static PlacementView of(
            String workload,
            long generation,
            WorkloadPlacement decision,
            WorkloadProgress progress,
            Map<String, ClusterObservation> observed,
            Map<String, Long> applied) {
        List<ClusterState> clusters = List.of();
        if (progress != null) {
            TreeSet<String> ids = new TreeSet<>(progress.assignments().keySet());
            clusters = ids.stream()
                    .map(id -> {
                        Assignment a = progress.assignments().get(id);
                        ClusterObservation o = observed.get(id);
                        return new ClusterState(
                                id,
                                a.generation(),
                                a.replicas(),
                                applied.getOrDefault(id, 0L),
                                o != null && o.available(),
                                o == null ? null : o.condition(),
                                o == null ? null : o.unavailableSince());
                    })
                    .toList();
        }
        Rollout rollout = progress == null ? null : Rollout.of(progress.rollout());
        if (decision == null) {
            return new PlacementView(
                    workload,
                    generation,
                    false,
                    0,
                    List.of(),
                    List.of(),
                    List.of(),
                    false,
                    null,
                    List.of(),
                    0,
                    null,
                    null,
                    rollout,
                    clusters);
        }
        return new PlacementView(
                decision.workload(),
                generation,
                true,
                decision.generation(),
                decision.chosen(),
                decision.rejected(),
                decision.unmetSpread(),
                decision.degraded(),
                decision.suppressed(),
                decision.displaced(),
                decision.monthlyCost(),
                decision.currency(),
                decision.decidedAt(),
                rollout,
                clusters);
    }
}
