package io.meridian.placement.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.selector.SelectableLabels;
import io.meridian.placement.domain.ClusterFacts;
import io.meridian.placement.domain.ClusterHealth;
import io.meridian.placement.domain.ClusterObservation;
import io.meridian.placement.domain.FleetView;
import io.meridian.placement.domain.PlacementDecision;
import io.meridian.placement.domain.PlacementMode;
import io.meridian.placement.domain.Resources;
import io.meridian.placement.domain.WorkloadRevision;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementReconcilerTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void aClusterWhereTheWorkloadIsUnhealthyIsNotReadyForItAlone() {
        FleetView fleet = FleetView.of(List.of(ready("aws-1"), ready("aws-2")));
        Instant down = T0.minusSeconds(600);
        FleetView seen = PlacementReconciler.unhealthyFor(
                fleet,
                Set.of("aws-2"),
                Map.of("aws-2", new ClusterObservation("aws-2", 3, false, "MinimumReplicasUnavailable", down)));

        assertThat(seen.get("aws-1")).isEqualTo(fleet.get("aws-1"));
        assertThat(seen.get("aws-2").health()).isEqualTo(ClusterHealth.NOT_READY);
        assertThat(seen.get("aws-2").healthSince()).isEqualTo(down);
        assertThat(seen.get("aws-2").allocatable()).isEqualTo(fleet.get("aws-2").allocatable());
        assertThat(fleet.get("aws-2").health()).isEqualTo(ClusterHealth.READY); // the fleet itself is untouched
    }

    @Test
    void decisionsThatDifferOnlyInWhenTheyWereMadeAreTheSame() {
        PlacementDecision first = decision(T0, 12.5);
        assertThat(PlacementReconciler.sameDecision(first, decision(T0.plusSeconds(30), 12.5)))
                .isTrue();
        assertThat(PlacementReconciler.sameDecision(first, decision(T0, 13))).isFalse();
    }

    @Test
    void onlyDeploymentsAndStatefulSetsMustBeAvailable() {
        WorkloadRevision revision = new WorkloadRevision(
                "checkout",
                "shop",
                2,
                List.of(
                        Map.of("kind", "Deployment", "metadata", Map.of("name", "web")),
                        Map.of("kind", "StatefulSet", "metadata", Map.of("name", "db")),
                        Map.of("kind", "Service", "metadata", Map.of("name", "web"))),
                List.of(),
                PlacementMode.DUPLICATED);
        assertThat(PlacementReconciler.expectedObjects(revision)).containsExactly("Deployment/web", "StatefulSet/db");
        assertThat(PlacementReconciler.expectedObjects(null)).isEmpty();
    }

    private static ClusterFacts ready(String id) {
        return new ClusterFacts(
                id,
                id,
                SelectableLabels.of(id, "aws", "eu-west-1", "prod", Map.of()),
                ClusterHealth.READY,
                T0.minusSeconds(3600),
                new Resources(8000, 32L << 30, 0),
                new Resources(1000, 4L << 30, 0),
                null);
    }

    private static PlacementDecision decision(Instant at, double cost) {
        return new PlacementDecision(
                "checkout",
                2,
                List.of(new PlacementDecision.ChosenCluster("aws-1", "aws-1", 2, 1, cost)),
                List.of(),
                List.of(),
                null,
                List.of(),
                cost,
                at,
                null);
    }
}
