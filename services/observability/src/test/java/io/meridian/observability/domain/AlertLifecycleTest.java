package io.meridian.observability.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.alert.AlertEvent;
import io.meridian.contracts.alert.AlertEvent.State;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The alert lifecycle, dedup, silences and inhibition, step by step with explicit instants. */
class AlertLifecycleTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private final Map<String, Alert> active = new HashMap<>();
    private final List<AlertEvent> announced = new java.util.ArrayList<>();
    private List<Silence> silences = List.of();

    private static AlertRule rule(String name, Signal signal, Duration forDuration) {
        return RuleCompiler.compile(
                        new RuleSpec(
                                name,
                                new RuleSpec.ConditionSpec(signal.wireName(), null, null, null, null, null, null),
                                ">=",
                                1.0,
                                forDuration.toString(),
                                "warning",
                                Map.of("team", "platform"),
                                "{{ $labels.cluster }} at {{ $value }}"),
                        false)
                .rule();
    }

    private static Observation on(String cluster, double value, String... more) {
        Map<String, String> labels = new HashMap<>(Map.of("cluster", cluster));
        for (int i = 0; i < more.length; i += 2) {
            labels.put(more[i], more[i + 1]);
        }
        return new Observation(labels, value);
    }

    private AlertLifecycle.Step step(Instant at, AlertLifecycle.RuleResult... results) {
        AlertLifecycle.Step step =
                AlertLifecycle.step(Map.copyOf(active), List.of(results), silences, BuiltInRules.inhibitions(), at);
        for (Alert a : step.changed()) {
            if (a.active()) {
                active.put(a.fingerprint(), a);
            } else {
                active.remove(a.fingerprint());
            }
        }
        announced.addAll(step.announcements());
        return step;
    }

    @BeforeEach
    void reset() {
        active.clear();
        announced.clear();
        silences = List.of();
    }

    @Test
    void pendingBecomesFiringAfterForThenResolves() {
        AlertRule rule = rule("Hot", Signal.CLUSTER_CPU_SATURATION, Duration.ofMinutes(5));
        var holding = new AlertLifecycle.RuleResult(rule, List.of(on("c1", 2)));

        step(T0, holding);
        step(T0.plusSeconds(120), holding);
        step(T0.plusSeconds(300), holding);
        step(T0.plusSeconds(400), holding);
        step(T0.plusSeconds(500), new AlertLifecycle.RuleResult(rule, List.of()));

        assertThat(announced)
                .extracting(AlertEvent::state)
                .containsExactly(State.PENDING, State.FIRING, State.RESOLVED);
        AlertEvent firing = announced.get(1);
        assertThat(firing.labels())
                .containsEntry("alertname", "Hot")
                .containsEntry("severity", "warning")
                .containsEntry("team", "platform")
                .containsEntry("cluster", "c1");
        assertThat(firing.clusterId()).isEqualTo("c1");
        assertThat(firing.startsAt()).isEqualTo(T0.plusSeconds(300));
        assertThat(firing.annotations()).containsEntry("summary", "c1 at 2");
        assertThat(announced.get(2).endsAt()).isEqualTo(T0.plusSeconds(500));
        assertThat(announced.stream().map(AlertEvent::fingerprint).distinct()).hasSize(1);
        assertThat(active).isEmpty();
    }

    @Test
    void zeroForFiresAtOnceAndTheSameLabelsAreOneAlert() {
        AlertRule rule = rule("Down", Signal.CLUSTER_UNREACHABLE, Duration.ZERO);
        var twice = new AlertLifecycle.RuleResult(rule, List.of(on("c1", 1), on("c1", 1), on("c2", 1)));

        step(T0, twice);
        step(T0.plusSeconds(10), twice);

        assertThat(announced).hasSize(2).allMatch(e -> e.state() == State.FIRING);
        assertThat(active).hasSize(2);
    }

    @Test
    void aConditionThatComesBackIsANewOccurrence() {
        AlertRule rule = rule("Down", Signal.CLUSTER_UNREACHABLE, Duration.ZERO);
        step(T0, new AlertLifecycle.RuleResult(rule, List.of(on("c1", 1))));
        step(T0.plusSeconds(10), new AlertLifecycle.RuleResult(rule, List.of()));
        step(T0.plusSeconds(20), new AlertLifecycle.RuleResult(rule, List.of(on("c1", 1))));

        assertThat(announced).extracting(AlertEvent::state).containsExactly(State.FIRING, State.RESOLVED, State.FIRING);
        assertThat(announced.get(2).startsAt()).isEqualTo(T0.plusSeconds(20));
    }

    @Test
    void aSilenceMutesUntilItExpiresAndAMutedAlertThatEndsSaysNothing() {
        AlertRule rule = rule("Down", Signal.CLUSTER_UNREACHABLE, Duration.ZERO);
        silences = List.of(new Silence(
                "s1",
                List.of(LabelMatcher.of("cluster", LabelMatcher.Op.RE, "c1|c3")),
                T0,
                T0.plusSeconds(60),
                "olga",
                "maintenance",
                T0));
        var both = new AlertLifecycle.RuleResult(rule, List.of(on("c1", 1), on("c2", 1)));

        step(T0, both);
        assertThat(announced).extracting(e -> e.labels().get("cluster")).containsExactly("c2");
        assertThat(active.values())
                .filteredOn(a -> a.clusterId().equals("c1"))
                .singleElement()
                .satisfies(a -> assertThat(a.silencedBy()).containsExactly("s1"));

        step(T0.plusSeconds(60), both);
        assertThat(announced).extracting(e -> e.labels().get("cluster")).containsExactly("c2", "c1");

        silences = List.of(new Silence(
                "s2",
                List.of(LabelMatcher.of("cluster", LabelMatcher.Op.EQ, "c9")),
                T0,
                T0.plusSeconds(600),
                "olga",
                null,
                T0));
        step(T0.plusSeconds(70), new AlertLifecycle.RuleResult(rule, List.of(on("c9", 1))));
        step(T0.plusSeconds(80), new AlertLifecycle.RuleResult(rule, List.of()));
        assertThat(announced).noneMatch(e -> "c9".equals(e.clusterId()));
    }

    @Test
    void aResolutionIsAnnouncedEvenWhenMutedMeanwhile() {
        AlertRule rule = rule("Down", Signal.CLUSTER_UNREACHABLE, Duration.ZERO);
        step(T0, new AlertLifecycle.RuleResult(rule, List.of(on("c1", 1))));
        silences = List.of(new Silence(
                "s1",
                List.of(LabelMatcher.of("cluster", LabelMatcher.Op.EQ, "c1")),
                T0,
                T0.plusSeconds(600),
                "olga",
                null,
                T0));
        step(T0.plusSeconds(10), new AlertLifecycle.RuleResult(rule, List.of(on("c1", 1))));
        step(T0.plusSeconds(20), new AlertLifecycle.RuleResult(rule, List.of()));

        assertThat(announced).extracting(AlertEvent::state).containsExactly(State.FIRING, State.RESOLVED);
    }

    @Test
    void anUnreachableClusterInhibitsItsNodeAlertsOnly() {
        AlertRule unreachable = rule(BuiltInRules.CLUSTER_UNREACHABLE, Signal.CLUSTER_UNREACHABLE, Duration.ZERO);
        AlertRule notReady = rule(BuiltInRules.NODE_NOT_READY, Signal.NODE_NOT_READY, Duration.ZERO);

        step(
                T0,
                new AlertLifecycle.RuleResult(unreachable, List.of(on("c1", 1))),
                new AlertLifecycle.RuleResult(notReady, List.of(on("c1", 1, "node", "n1"), on("c2", 1, "node", "n7"))));

        assertThat(announced)
                .extracting(e -> e.alertName() + "/" + e.clusterId())
                .containsExactlyInAnyOrder("ClusterUnreachable/c1", "NodeNotReady/c2");
        Alert inhibited = active.values().stream()
                .filter(a -> a.rule().equals("NodeNotReady") && a.clusterId().equals("c1"))
                .findFirst()
                .orElseThrow();
        assertThat(inhibited.inhibitedBy()).hasSize(1);
        assertThat(inhibited.state()).isEqualTo(State.FIRING);

        // The cluster comes back but the node stays not ready: the node alert is announced now.
        step(
                T0.plusSeconds(30),
                new AlertLifecycle.RuleResult(unreachable, List.of()),
                new AlertLifecycle.RuleResult(notReady, List.of(on("c1", 1, "node", "n1"), on("c2", 1, "node", "n7"))));
        assertThat(announced)
                .extracting(e -> e.alertName() + "/" + e.clusterId() + "/" + e.state())
                .contains("ClusterUnreachable/c1/RESOLVED", "NodeNotReady/c1/FIRING");
    }

    @Test
    void anUnchangedStepStoresAndAnnouncesNothing() {
        AlertRule rule = rule("Down", Signal.CLUSTER_UNREACHABLE, Duration.ZERO);
        var holding = new AlertLifecycle.RuleResult(rule, List.of(on("c1", 1)));
        step(T0, holding);

        AlertLifecycle.Step again = step(T0.plusSeconds(10), holding);

        assertThat(again.changed()).isEmpty();
        assertThat(again.announcements()).isEmpty();
    }

    @Test
    void groupsAlertsByLabels() {
        AlertRule rule = rule("Down", Signal.CLUSTER_UNREACHABLE, Duration.ZERO);
        step(
                T0,
                new AlertLifecycle.RuleResult(
                        rule,
                        List.of(
                                on("c1", 1, "cloud", "aws"),
                                on("c2", 1, "cloud", "aws"),
                                on("c3", 1, "cloud", "gcp"))));

        var groups = AlertGroups.group(List.copyOf(active.values()), List.of("alertname", "cloud"));

        assertThat(groups).hasSize(2);
        assertThat(groups.get(0).labels()).containsEntry("cloud", "aws");
        assertThat(groups.get(0).counts()).containsEntry(State.FIRING, 2);
        assertThat(groups.get(1).alerts()).hasSize(1);
    }

    @Test
    void anAlertIsInhibitedByEveryFiringSourceOfEachRuleItMatchesWithTheSameEqualLabelsAndNeverByItself() {
        InhibitionRule byClusterAndZone = new InhibitionRule(
                "zone-down",
                List.of(LabelMatcher.of("alertname", LabelMatcher.Op.EQ, "ZoneDown")),
                List.of(LabelMatcher.of("severity", LabelMatcher.Op.EQ, "warning")),
                List.of("cluster", "zone"));
        InhibitionRule byCluster = new InhibitionRule(
                "critical-over-warning",
                List.of(LabelMatcher.of("severity", LabelMatcher.Op.EQ, "critical")),
                List.of(LabelMatcher.of("severity", LabelMatcher.Op.RE, "warning|critical")),
                List.of("cluster"));
        Alert zoneA = firing("f-zone-a", "alertname", "ZoneDown", "severity", "critical", "cluster", "c1", "zone", "a");
        Alert noZone = firing("f-no-zone", "alertname", "ZoneDown", "severity", "critical", "cluster", "c1");
        Alert otherCluster = firing("f-c2", "alertname", "ZoneDown", "severity", "warning", "cluster", "c2");
        Alert quiet = firing("f-quiet", "alertname", "Other", "severity", "info", "cluster", "c1", "zone", "a");
        var inhibitions = new AlertLifecycle.Inhibitions(
                List.of(zoneA, noZone, otherCluster, quiet), List.of(byClusterAndZone, byCluster));

        // zone a of c1: ZoneDown in zone a (first rule, and the second), every critical alert of c1 (second rule)
        assertThat(inhibitions.of(firing("f-t1", "severity", "warning", "cluster", "c1", "zone", "a")))
                .containsExactly("f-no-zone", "f-zone-a");
        // a label both lack is equal (f-c2 has no zone either); one only the source lacks is not
        assertThat(inhibitions.of(firing("f-t2", "severity", "warning", "cluster", "c2")))
                .containsExactly("f-c2");
        assertThat(inhibitions.of(firing("f-t4", "severity", "warning", "cluster", "c2", "zone", "b")))
                .isEmpty();
        // a critical alert is a source of the second rule, and not its own inhibitor
        assertThat(inhibitions.of(zoneA)).containsExactly("f-no-zone");
        // matching no target, or no source with equal labels: not inhibited
        assertThat(inhibitions.of(quiet)).isEmpty();
        assertThat(inhibitions.of(firing("f-t3", "severity", "warning", "cluster", "c3", "zone", "a")))
                .isEmpty();
    }

    private static Alert firing(String fingerprint, String... labels) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            map.put(labels[i], labels[i + 1]);
        }
        return new Alert(
                fingerprint,
                map.getOrDefault("alertname", "Rule"),
                map.getOrDefault("severity", "warning"),
                map,
                Map.of(),
                1.0,
                State.FIRING,
                T0,
                T0,
                null,
                null,
                List.of(),
                List.of(),
                null,
                null);
    }
}
