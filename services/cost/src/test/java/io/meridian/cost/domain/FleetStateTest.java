package io.meridian.cost.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.resource.ResyncMarker;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a completed resync takes away from the fleet cost allocates over. */
class FleetStateTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void aResyncThatCouldNotListNodesKeepsThemWhileTheOlderObjectsOfListedKindsGo() {
        FleetState fleet = new FleetState();
        fleet.observed(object("c1", "Node", null, "n1", 1));
        fleet.observed(object("c1", "Node", null, "n2", 1));
        fleet.observed(object("c1", "Pod", "shop", "gone", 1));
        fleet.observed(object("c1", "Pod", "shop", "seen", 2));

        fleet.resyncCompleted(
                new ResyncMarker(
                        "c1", 2, ResyncMarker.Phase.Completed, 1, T0, List.of(new ResyncMarker.GroupKind("", "Node"))),
                T0);

        assertThat(fleet.nodes("c1")).extracting(NodeFacts::name).containsExactlyInAnyOrder("n1", "n2");
        assertThat(fleet.pods("c1", T0.plusSeconds(1)))
                .extracting(FleetState.PodFacts::name)
                .containsExactly("seen");

        // A later relist that lists Nodes again and does not see them: now they are gone.
        fleet.resyncCompleted(new ResyncMarker("c1", 3, ResyncMarker.Phase.Completed, 0, T0), T0);
        assertThat(fleet.nodes("c1")).isEmpty();
    }

    private static ObservedResource object(String cluster, String kind, String namespace, String name, long epoch) {
        Map<String, Object> manifest = kind.equals("Node")
                ? Map.of("status", Map.of("capacity", Map.of("cpu", "4", "memory", "16Gi")))
                : Map.of("spec", Map.of("containers", List.of(Map.of("name", "app"))));
        return new ObservedResource(
                cluster,
                "",
                "v1",
                kind,
                namespace,
                name,
                "uid-" + name,
                "1",
                Map.of(),
                Map.of(),
                null,
                null,
                List.of(),
                null,
                null,
                null,
                T0,
                epoch,
                manifest);
    }
}
