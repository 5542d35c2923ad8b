package io.meridian.placement.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.EventType;
import io.meridian.contracts.placement.FailoverMove;
import io.meridian.contracts.placement.WorkloadPlacement;
import io.meridian.placement.domain.PlacementDecision.Displacement.Cause;
import io.meridian.placement.domain.PlacementEvent;
import io.meridian.placement.domain.Rejection;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The failover cause and the full-bundle rejection as fleet.placement.v1 carries them. */
class PlacementFactsTest {

    private static final Instant AT = Instant.parse("2026-12-06T03:00:00Z");

    @Test
    void everyMoveCarriesWhyTheWorkloadLeftItsClusters() {
        PlacementFacts.Published started = PlacementFacts.event(
                        new PlacementEvent.FailoverStarted(
                                "shop", List.of("gcp-1"), List.of("gcp-2"), 3.5, Cause.WORKLOAD_UNHEALTHY),
                        "USD",
                        AT)
                .orElseThrow();
        PlacementFacts.Published completed = PlacementFacts.event(
                        new PlacementEvent.FailoverCompleted(
                                "shop", List.of("aws-1"), List.of("gcp-2"), 12.5, Cause.CLUSTER_LOST),
                        "USD",
                        AT)
                .orElseThrow();
        PlacementFacts.Published back = PlacementFacts.event(
                        new PlacementEvent.FailbackCompleted("shop", List.of("gcp-2"), List.of("aws-1"), -12.5, null),
                        "USD",
                        AT)
                .orElseThrow();

        assertThat(started.type()).isEqualTo(EventType.FAILOVER_STARTED);
        assertThat(((FailoverMove) started.fact()).cause()).isEqualTo(FailoverMove.Cause.WorkloadUnhealthy);
        assertThat(((FailoverMove) started.fact()).summary()).isEqualTo("+3.5 USD/month");
        assertThat(((FailoverMove) completed.fact()).cause()).isEqualTo(FailoverMove.Cause.ClusterLost);
        assertThat(((FailoverMove) back.fact()).cause())
                .as("different causes: none said")
                .isNull();
    }

    @Test
    void everyRejectionHasItsReasonOnTheWire() {
        for (Rejection r : Rejection.values()) {
            assertThat(PlacementFacts.reason(r)).isNotNull();
        }
        assertThat(PlacementFacts.reason(Rejection.BUNDLE_FULL))
                .isEqualTo(WorkloadPlacement.RejectionReason.BundleFull);
    }
}
