package io.meridian.placement.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.placement.domain.Assignment;
import io.meridian.placement.domain.FailoverLedger;
import io.meridian.placement.domain.PlacementDecision;
import io.meridian.placement.domain.Rejection;
import io.meridian.placement.domain.RolloutPhase;
import io.meridian.placement.domain.RolloutState;
import io.meridian.placement.domain.WorkloadProgress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The reconciler stores a decision only when it differs from the stored one, and compares them as records: a decision
 * or a progress that did not read back equal would be published again on every reconcile.
 */
class PlacementStateJsonTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00.123456Z");

    @Test
    void aDecisionReadsBackEqual() {
        PlacementDecision decision = new PlacementDecision(
                "checkout",
                3,
                List.of(new PlacementDecision.ChosenCluster("aws-1", "aws-1", 2, 0.875, 12.34)),
                List.of(new PlacementDecision.RejectedCluster(
                        "gcp-1", "gcp-1", Rejection.NO_CAPACITY, "needs 2 CPU, 1.5 CPU free")),
                List.of("cloud: 1 of 2"),
                new PlacementDecision.FailoverSuppression(List.of("aws-2", "aws-3"), "2 of 3", T0),
                List.of(new PlacementDecision.Displacement("aws-2", T0, null, List.of("aws-1"))),
                12.34,
                T0,
                T0.plusSeconds(30));

        PlacementDecision read = WorkloadJson.read(WorkloadJson.write(decision), PlacementDecision.class, "decision");

        assertThat(read).isEqualTo(decision);
    }

    @Test
    void progressReadsBackEqual() {
        WorkloadProgress progress = new WorkloadProgress(
                new RolloutState(
                        4,
                        2,
                        RolloutPhase.HALTED,
                        List.of(List.of("b-1"), List.of("b-2", "b-3")),
                        0,
                        T0,
                        "b-1",
                        "ProgressDeadlineExceeded"),
                Map.of("b-1", new Assignment(4, 2), "b-2", new Assignment(2, 2)),
                new FailoverLedger(
                        List.of("c-2"),
                        List.of(new FailoverLedger.PendingMove(
                                FailoverLedger.MoveKind.FAILOVER,
                                List.of("c-2"),
                                List.of("c-4"),
                                6.76,
                                PlacementDecision.Displacement.Cause.WORKLOAD_UNHEALTHY)),
                        true,
                        List.of()));

        WorkloadProgress read = WorkloadJson.read(WorkloadJson.write(progress), WorkloadProgress.class, "progress");

        assertThat(read).isEqualTo(progress);
    }
}
