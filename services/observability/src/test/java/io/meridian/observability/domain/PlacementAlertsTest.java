package io.meridian.observability.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.alert.AlertEvent;
import io.meridian.contracts.alert.AlertEvent.State;
import io.meridian.contracts.placement.FailoverSuppressed;
import io.meridian.contracts.placement.PlacementKey;
import io.meridian.contracts.placement.RolloutCompleted;
import io.meridian.contracts.placement.RolloutHalted;
import io.meridian.contracts.placement.RolloutStarted;
import io.meridian.contracts.placement.RolloutWaveCompleted;
import io.meridian.contracts.placement.WorkloadPlacement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built-in placement alerts over the fleet view, from fleet.placement.v1 facts to announcements. */
class PlacementAlertsTest {

    private static final Instant T0 = Instant.parse("2026-11-24T11:00:00Z");
    private static final BuiltInRules.Settings SETTINGS = new BuiltInRules.Settings(
            Duration.ofSeconds(15),
            Duration.ofMinutes(2),
            0.9,
            Duration.ofMinutes(5),
            0.9,
            Duration.ofMinutes(5),
            3,
            Duration.ofMinutes(5),
            0,
            Duration.ofMinutes(1));

    private final FleetView fleet = new FleetView();
    private final RuleEvaluator evaluator = new RuleEvaluator(new FleetSignals(
            fleet,
            new SeriesStore(1000, Duration.ofMinutes(10).toMillis()),
            new FleetSignals.Settings(Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofDays(1))));
    private final Map<String, Alert> active = new HashMap<>();
    private final List<AlertEvent> announced = new ArrayList<>();

    private static WorkloadPlacement decision(
            String workload,
            Instant at,
            List<String> unmetSpread,
            WorkloadPlacement.Suppression suppressed,
            List<String> displacedFrom) {
        return new WorkloadPlacement(
                workload,
                7,
                List.of(new WorkloadPlacement.ChosenCluster("gcp-1", "gcp-1", 3, 0.9, null)),
                List.of(),
                unmetSpread,
                !unmetSpread.isEmpty(),
                suppressed,
                displacedFrom.stream()
                        .map(c -> new WorkloadPlacement.Displacement(c, at, null))
                        .toList(),
                0,
                null,
                at);
    }

    private static WorkloadPlacement healthy(String workload, Instant at) {
        return decision(workload, at, List.of(), null, List.of());
    }

    /** One evaluation of every built-in rule, as the evaluator runs it; returns what it announced. */
    private List<AlertEvent> evaluate(Instant at) {
        AlertLifecycle.Step step = AlertLifecycle.step(
                Map.copyOf(active),
                evaluator.evaluateAll(BuiltInRules.of(SETTINGS), at),
                List.of(),
                BuiltInRules.inhibitions(),
                at);
        for (Alert a : step.changed()) {
            if (a.active()) {
                active.put(a.fingerprint(), a);
            } else {
                active.remove(a.fingerprint());
            }
        }
        announced.addAll(step.announcements());
        return step.announcements();
    }

    @Test
    void aHaltedRolloutFiresWithClusterAndConditionAndWhatToDoUntilTheRolloutMovesOn() {
        fleet.placement(healthy("checkout", T0));
        fleet.placement(new RolloutStarted("checkout", 7, 6, List.of(List.of("aws-1"), List.of("gcp-1")), T0));
        assertThat(evaluate(T0)).isEmpty();

        fleet.placement(new RolloutHalted(
                "checkout", 7, "aws-1", "ProgressDeadlineExceeded", "ReplicaSet timed out", T0.plusSeconds(60)));
        List<AlertEvent> fired = evaluate(T0.plusSeconds(61));

        assertThat(fired).singleElement().satisfies(a -> {
            assertThat(a.alertName()).isEqualTo(BuiltInRules.ROLLOUT_HALTED);
            assertThat(a.state()).isEqualTo(State.FIRING);
            assertThat(a.clusterId()).isEqualTo("aws-1");
            assertThat(a.labels())
                    .containsEntry("workload", "checkout")
                    .containsEntry("cluster", "aws-1")
                    .containsEntry("condition", "ProgressDeadlineExceeded");
            assertThat(a.annotations().get("summary"))
                    .isEqualTo("The rollout of workload checkout halted on cluster aws-1: ProgressDeadlineExceeded");
            assertThat(a.annotations().get(BuiltInRules.ACTION))
                    .contains("POST /api/v1/workloads/checkout/rollout/resume")
                    .contains("POST /api/v1/workloads/checkout/rollback");
        });
        assertThat(evaluate(T0.plusSeconds(90))).isEmpty();

        // Resumed after a fix: the wave completes, the rollout is no longer halted.
        fleet.placement(new RolloutWaveCompleted("checkout", 7, 1, List.of("aws-1"), T0.plusSeconds(120)));
        assertThat(evaluate(T0.plusSeconds(121)))
                .singleElement()
                .satisfies(a -> assertThat(a.state()).isEqualTo(State.RESOLVED));

        fleet.placement(new RolloutHalted("checkout", 7, "gcp-1", "HealthTimeout", "", T0.plusSeconds(200)));
        assertThat(evaluate(T0.plusSeconds(201))).extracting(AlertEvent::state).containsExactly(State.FIRING);
        fleet.placement(new RolloutCompleted("checkout", 8, T0.plusSeconds(300)));
        assertThat(evaluate(T0.plusSeconds(301))).extracting(AlertEvent::state).containsExactly(State.RESOLVED);
    }

    @Test
    void aSuppressedFailoverFiresPerUnreachableClusterUntilTheDecisionNoLongerHasIt() {
        fleet.placement(healthy("checkout", T0));
        // The event comes first: it counts, being newer than the latest decision.
        fleet.placement(new FailoverSuppressed(
                "checkout", List.of("aws-2", "aws-1"), "2 of 3 clusters at once", T0.plusSeconds(30)));
        List<AlertEvent> fired = evaluate(T0.plusSeconds(31));

        assertThat(fired)
                .extracting(AlertEvent::alertName, AlertEvent::clusterId, AlertEvent::state)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(BuiltInRules.FAILOVER_SUPPRESSED, "aws-1", State.FIRING),
                        org.assertj.core.groups.Tuple.tuple(BuiltInRules.FAILOVER_SUPPRESSED, "aws-2", State.FIRING));
        assertThat(fired).allSatisfy(a -> {
            assertThat(a.severity()).isEqualTo("critical");
            assertThat(a.labels()).containsEntry("condition", "Unreachable");
            assertThat(a.annotations().get(BuiltInRules.ACTION)).contains("POST /api/v1/workloads/checkout/failover");
        });

        // The decision that carries the suppression keeps the alerts as they are.
        fleet.placement(decision(
                "checkout",
                T0.plusSeconds(32),
                List.of(),
                new WorkloadPlacement.Suppression(List.of("aws-1", "aws-2"), "2 of 3", T0.plusSeconds(30)),
                List.of()));
        assertThat(evaluate(T0.plusSeconds(40))).isEmpty();

        // An operator approved the failover: the next decision has no suppression, the alerts resolve, and the
        // older suppression event still on the failover key counts no more.
        fleet.placement(healthy("checkout", T0.plusSeconds(60)));
        assertThat(evaluate(T0.plusSeconds(61)))
                .extracting(AlertEvent::state)
                .containsExactly(State.RESOLVED, State.RESOLVED);
    }

    @Test
    void aDegradedWorkloadFiresNamingTheUnmetRulesAndTheClusterItLostUntilItIsNotDegraded() {
        fleet.placement(decision(
                "checkout", T0, List.of("cloud: 1 of 2 (aws: not Ready)", "region: 1 of 2"), null, List.of("aws-1")));
        List<AlertEvent> fired = evaluate(T0);

        assertThat(fired).singleElement().satisfies(a -> {
            assertThat(a.alertName()).isEqualTo(BuiltInRules.WORKLOAD_DEGRADED);
            assertThat(a.labels())
                    .containsEntry("workload", "checkout")
                    .containsEntry("cluster", "aws-1")
                    .containsEntry("condition", "cloud,region");
            assertThat(a.annotations().get("summary"))
                    .isEqualTo("Workload checkout is Degraded: its placement rules on cloud,region cannot be met");
            assertThat(a.annotations().get(BuiltInRules.ACTION)).contains("GET /api/v1/workloads/checkout/placement");
        });

        fleet.placement(healthy("checkout", T0.plusSeconds(60)));
        assertThat(evaluate(T0.plusSeconds(61)))
                .singleElement()
                .satisfies(a -> assertThat(a.state()).isEqualTo(State.RESOLVED));
    }

    @Test
    void aDeletedWorkloadsAlertsResolveAndFactsWithoutADecisionRaiseNone() {
        fleet.placement(new RolloutHalted("orphan", 2, "aws-1", "ProgressDeadlineExceeded", "", T0));
        assertThat(evaluate(T0)).isEmpty();

        fleet.placement(decision("cart", T0, List.of("clusters: needs at least 2 clusters"), null, List.of()));
        fleet.placement(new RolloutHalted("cart", 3, "gcp-1", "ProgressDeadlineExceeded", "", T0));
        assertThat(evaluate(T0.plusSeconds(1)))
                .extracting(AlertEvent::alertName)
                .containsExactlyInAnyOrder(BuiltInRules.WORKLOAD_DEGRADED, BuiltInRules.ROLLOUT_HALTED);
        assertThat(active.values())
                .filteredOn(a -> a.rule().equals(BuiltInRules.WORKLOAD_DEGRADED))
                .singleElement()
                .satisfies(a -> assertThat(a.labels())
                        .containsEntry("condition", "clusters")
                        .doesNotContainKey("cluster"));

        // Deleting a workload tombstones its keys; the decision's alone is enough to say it is gone.
        fleet.placementRemoved(PlacementKey.decision("cart"));
        assertThat(evaluate(T0.plusSeconds(2)))
                .extracting(AlertEvent::state)
                .containsExactly(State.RESOLVED, State.RESOLVED);
        fleet.placementRemoved(PlacementKey.rollout("cart"));
        assertThat(fleet.workloads()).extracting(WorkloadFacts::workload).containsExactly("orphan");
    }

    @Test
    void theSignalsGiveEveryPlacedWorkloadAValueSoCustomRulesCanCompareThem() {
        fleet.placement(healthy("checkout", T0));
        FleetSignals signals = new FleetSignals(
                fleet,
                new SeriesStore(10, 60_000),
                new FleetSignals.Settings(Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofDays(1)));

        for (Signal signal : List.of(
                Signal.WORKLOAD_ROLLOUT_HALTED, Signal.WORKLOAD_FAILOVER_SUPPRESSED, Signal.WORKLOAD_DEGRADED)) {
            assertThat(signals.signal(signal, T0))
                    .as(signal.wireName())
                    .containsExactly(new Observation(Map.of("workload", "checkout"), 0));
        }
    }
}
