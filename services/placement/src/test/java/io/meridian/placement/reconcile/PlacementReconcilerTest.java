package io.meridian.placement.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.selector.SelectableLabels;
import io.meridian.placement.domain.Assignment;
import io.meridian.placement.domain.BundleRenderer;
import io.meridian.placement.domain.ClusterFacts;
import io.meridian.placement.domain.ClusterHealth;
import io.meridian.placement.domain.ClusterObservation;
import io.meridian.placement.domain.FleetView;
import io.meridian.placement.domain.PlacementDecision;
import io.meridian.placement.domain.PlacementMode;
import io.meridian.placement.domain.Resources;
import io.meridian.placement.domain.WorkloadOverride;
import io.meridian.placement.domain.WorkloadRevision;
import io.meridian.placement.domain.WorkloadSync;
import io.meridian.placement.persistence.DesiredBundleStore;
import java.time.Instant;
import java.util.ArrayList;
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

    @Test
    void aWorkloadsEstimatedFootprintCoversWhatItsRenderedObjectsTakeInABundle() {
        Map<String, Object> deployment = deployment(Map.of(
                "replicas",
                2,
                "template",
                Map.of(
                        "metadata",
                        Map.of("labels", Map.of("app", "web")),
                        "spec",
                        Map.of("containers", containers("web", 1, "registry/web:1")))));
        Map<String, Object> config =
                Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", "web"), "data", Map.of());
        WorkloadRevision revision = new WorkloadRevision(
                "checkout",
                "shop",
                12345,
                List.of(deployment, config),
                List.of(new WorkloadOverride(null, null, null, "mirror.eu.example/web:1", 5)),
                PlacementMode.DUPLICATED);

        long rendered = renderedBytes(revision, new Assignment(12345, 5));

        long footprint = PlacementReconciler.footprint(revision);
        assertThat(footprint).isGreaterThanOrEqualTo(rendered);
        assertThat(footprint).as("but not wildly more").isLessThan(rendered + 1024);
    }

    @Test
    void theFootprintBoundsARenderingThatSetsALongImageOnManyContainers() {
        Map<String, Object> deployment = deployment(Map.of(
                "template",
                Map.of(
                        "spec",
                        Map.of("containers", containers("c", 8, "a"), "initContainers", containers("i", 1, "b")))));
        // The patch brings containers of its own, which the image override then sets too.
        Map<String, Object> patch =
                Map.of("spec", Map.of("template", Map.of("spec", Map.of("containers", containers("p", 12, "c")))));
        String mirror = "mirror.registry.eu-west-1.example.com/platform/team-checkout/" + "x".repeat(120) + ":1.2.3";
        WorkloadRevision revision = new WorkloadRevision(
                "w".repeat(63),
                "n".repeat(63),
                Long.MAX_VALUE,
                List.of(deployment),
                List.of(
                        new WorkloadOverride(null, "Deployment/web", patch, null, null),
                        new WorkloadOverride(null, null, null, mirror, null)),
                PlacementMode.DIVIDED);

        assertThat(PlacementReconciler.footprint(revision))
                .isGreaterThanOrEqualTo(renderedBytes(revision, new Assignment(Long.MAX_VALUE, Integer.MAX_VALUE)));
    }

    private static Map<String, Object> deployment(Map<String, Object> spec) {
        return Map.of("apiVersion", "apps/v1", "kind", "Deployment", "metadata", Map.of("name", "web"), "spec", spec);
    }

    private static List<Map<String, Object>> containers(String prefix, int count, String image) {
        List<Map<String, Object>> containers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            containers.add(Map.of("name", count == 1 ? prefix : prefix + i, "image", image));
        }
        return containers;
    }

    private static long renderedBytes(WorkloadRevision revision, Assignment assignment) {
        return DesiredBundleStore.bytesOf(new BundleRenderer()
                .render(
                        revision,
                        "aws-1",
                        SelectableLabels.of("aws-1", "aws", "eu-west-1", "prod", Map.of()),
                        assignment));
    }

    @Test
    void anObjectInventoryCouldNotApplyJoinsTheObservationOfItsCluster() {
        WorkloadSync.ApplyFailure conflict =
                new WorkloadSync.ApplyFailure(2, "Service/web in shop", "Conflict", "conflict with kubectl");
        Map<String, ClusterObservation> observed = PlacementReconciler.withApplyFailures(
                Map.of("aws-1", new ClusterObservation("aws-1", 1, true, null, null)),
                Map.of("aws-1", conflict, "aws-2", conflict));

        assertThat(observed.get("aws-1")).isEqualTo(new ClusterObservation("aws-1", 1, true, null, null, conflict));
        assertThat(observed.get("aws-2").applyFailure()).isEqualTo(conflict);
        assertThat(observed.get("aws-2").appliedGeneration()).isZero();
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
