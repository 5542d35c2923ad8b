package io.meridian.observability.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.cluster.Cloud;
import io.meridian.contracts.cluster.ClusterPhase;
import io.meridian.contracts.cluster.ClusterSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rule validation and evaluation of signal and metric conditions over a small fleet. */
class RuleCompilerTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void namesEveryInvalidField() {
        var result = RuleCompiler.compile(
                new RuleSpec(
                        "9bad",
                        new RuleSpec.ConditionSpec(
                                null,
                                "container_cpu_usage_cores",
                                "rate",
                                null,
                                List.of(new RuleSpec.MatcherSpec("namespace", "=~", "(")),
                                "median",
                                List.of("cluster")),
                        "=>",
                        null,
                        "soon",
                        "urgent",
                        Map.of("alertname", "x"),
                        ""),
                false);

        assertThat(result.valid()).isFalse();
        assertThat(result.problems())
                .extracting(FieldProblem::field)
                .contains(
                        "name",
                        "condition.function",
                        "condition.matchers[0].value",
                        "condition.aggregate",
                        "op",
                        "threshold",
                        "for",
                        "severity",
                        "labels.alertname",
                        "summary");
    }

    @Test
    void annotationsAreTemplatesNamedLikeLabelsBesideTheSummary() {
        RuleSpec.ConditionSpec unreachable =
                new RuleSpec.ConditionSpec("cluster_unreachable", null, null, null, null, null, null);
        var bad = RuleCompiler.compile(
                new RuleSpec(
                        "Down",
                        unreachable,
                        ">=",
                        1.0,
                        null,
                        "critical",
                        Map.of(),
                        "{{ $labels.cluster }} is down",
                        Map.of("summary", "again", "run book", "x", "action", " ")),
                false);
        assertThat(bad.problems())
                .extracting(FieldProblem::field)
                .containsExactlyInAnyOrder("annotations.summary", "annotations.run book", "annotations.action");

        AlertRule rule = RuleCompiler.compile(
                        new RuleSpec(
                                "Down",
                                unreachable,
                                ">=",
                                1.0,
                                null,
                                "critical",
                                Map.of(),
                                "{{ $labels.cluster }} is down",
                                Map.of("action", "call the {{ $labels.cloud }} on-call about {{ $labels.cluster }}")),
                        false)
                .rule();
        var step = AlertLifecycle.step(
                Map.of(),
                List.of(new AlertLifecycle.RuleResult(
                        rule, List.of(new Observation(Map.of("cluster", "aws-1", "cloud", "aws"), 1)))),
                List.of(),
                List.of(),
                NOW);
        assertThat(step.announcements())
                .singleElement()
                .satisfies(a -> assertThat(a.annotations())
                        .containsExactlyInAnyOrderEntriesOf(
                                Map.of("summary", "aws-1 is down", "action", "call the aws on-call about aws-1")));
    }

    @Test
    void needsExactlyOneOfSignalAndMetric() {
        var both = RuleCompiler.compile(
                new RuleSpec(
                        "R",
                        new RuleSpec.ConditionSpec("cluster_unreachable", "m", null, null, null, null, null),
                        ">",
                        0.0,
                        null,
                        null,
                        null,
                        "s"),
                false);
        var unknown = RuleCompiler.compile(
                new RuleSpec(
                        "R",
                        new RuleSpec.ConditionSpec("nope", null, null, null, null, null, null),
                        ">",
                        0.0,
                        null,
                        null,
                        null,
                        "s"),
                false);

        assertThat(both.problems()).extracting(FieldProblem::field).containsExactly("condition");
        assertThat(unknown.problems()).extracting(FieldProblem::field).containsExactly("condition.signal");
    }

    @Test
    void evaluatesASummedMetricConditionPerClusterAndNamespace() {
        FleetView fleet = new FleetView();
        fleet.cluster(snapshot("c1", ClusterPhase.Ready));
        SeriesStore store = new SeriesStore(100, 600_000);
        long t = NOW.toEpochMilli();
        store.append(
                new SeriesStore.SeriesId("c1", "container_cpu_usage_cores", Map.of("namespace", "pay", "pod", "a")),
                t,
                0.7);
        store.append(
                new SeriesStore.SeriesId("c1", "container_cpu_usage_cores", Map.of("namespace", "pay", "pod", "b")),
                t,
                0.6);
        store.append(
                new SeriesStore.SeriesId("c1", "container_cpu_usage_cores", Map.of("namespace", "web", "pod", "c")),
                t,
                0.1);
        var evaluator = new RuleEvaluator(new FleetSignals(fleet, store, settings()));
        var rule = RuleCompiler.compile(
                        new RuleSpec(
                                "NamespaceHot",
                                new RuleSpec.ConditionSpec(
                                        null,
                                        "container_cpu_usage_cores",
                                        null,
                                        null,
                                        null,
                                        "sum",
                                        List.of("cluster", "namespace")),
                                ">",
                                1.0,
                                "1m",
                                "critical",
                                Map.of(),
                                "{{ $labels.namespace }} uses {{ $value }} cores"),
                        false)
                .rule();

        var holding = evaluator.holding(rule, NOW);

        assertThat(holding).singleElement().satisfies(o -> {
            assertThat(o.labels()).containsEntry("namespace", "pay").containsEntry("cluster", "c1");
            assertThat(o.value()).isCloseTo(1.3, org.assertj.core.data.Offset.offset(1e-9));
        });
        assertThat(rule.forDuration()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void rulesSharingASelectionAreJudgedEachByItsOwnMatchersAndThreshold() {
        FleetView fleet = new FleetView();
        fleet.cluster(snapshot("c1", ClusterPhase.Ready));
        SeriesStore store = new SeriesStore(100, 600_000);
        long t = NOW.toEpochMilli();
        store.append(
                new SeriesStore.SeriesId("c1", "container_cpu_usage_cores", Map.of("namespace", "pay", "pod", "a")),
                t,
                0.7);
        store.append(
                new SeriesStore.SeriesId("c1", "container_cpu_usage_cores", Map.of("namespace", "web", "pod", "b")),
                t,
                0.2);
        var evaluator = new RuleEvaluator(new FleetSignals(fleet, store, settings()));
        var low = metricRule("Low", 0.1, List.of());
        var high = metricRule("High", 0.5, List.of());
        var webOnly = metricRule("Web", 0.1, List.of(new RuleSpec.MatcherSpec("namespace", "=", "web")));

        var results = evaluator.evaluateAll(List.of(low, high, webOnly), NOW);

        assertThat(results).extracting(r -> r.holding().size()).containsExactly(2, 1, 1);
        assertThat(results.get(2).holding().getFirst().labels()).containsEntry("namespace", "web");
        assertThat(results.get(1).holding()).isEqualTo(evaluator.holding(high, NOW));
    }

    private static AlertRule metricRule(String name, double threshold, List<RuleSpec.MatcherSpec> matchers) {
        return RuleCompiler.compile(
                        new RuleSpec(
                                name,
                                new RuleSpec.ConditionSpec(
                                        null,
                                        "container_cpu_usage_cores",
                                        null,
                                        null,
                                        matchers,
                                        "sum",
                                        List.of("namespace")),
                                ">",
                                threshold,
                                null,
                                null,
                                null,
                                "s"),
                        false)
                .rule();
    }

    @Test
    void builtInSignalsReadStatusMetricsAndStaleness() {
        FleetView fleet = new FleetView();
        fleet.cluster(snapshot("c1", ClusterPhase.Ready));
        fleet.cluster(snapshot("c2", ClusterPhase.Unreachable));
        SeriesStore store = new SeriesStore(100, 3_600_000);
        long t = NOW.toEpochMilli();
        store.append(new SeriesStore.SeriesId("c1", FleetSignals.NODE_CPU, Map.of("node", "n1")), t, 3.6);
        store.append(
                new SeriesStore.SeriesId(
                        "c1",
                        FleetSignals.NODE_CONDITION,
                        Map.of("node", "n1", "condition", "Ready", "status", "true")),
                t,
                0);
        store.append(
                new SeriesStore.SeriesId(
                        "c2",
                        FleetSignals.NODE_CONDITION,
                        Map.of("node", "n9", "condition", "Ready", "status", "true")),
                t - 1_800_000,
                1);
        store.append(
                new SeriesStore.SeriesId(
                        "c1", FleetSignals.RESTARTS, Map.of("pod", "p", "namespace", "n", "container", "x")),
                t - 60_000,
                5);
        store.append(
                new SeriesStore.SeriesId(
                        "c1", FleetSignals.RESTARTS, Map.of("pod", "p", "namespace", "n", "container", "x")),
                t,
                7);
        FleetSignals signals = new FleetSignals(fleet, store, settings());

        assertThat(signals.signal(Signal.CLUSTER_UNREACHABLE, NOW))
                .extracting(o -> o.labels().get("cluster") + "=" + o.value())
                .containsExactly("c1=0.0", "c2=1.0");
        assertThat(signals.signal(Signal.CLUSTER_CPU_SATURATION, NOW))
                .singleElement()
                .satisfies(o -> assertThat(o.value()).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-9)));
        // n1 reports not ready; n9's last sample is stale but its cluster is unreachable, so it is unknown.
        assertThat(signals.signal(Signal.NODE_NOT_READY, NOW))
                .extracting(o -> o.labels().get("node") + "=" + o.value())
                .containsExactlyInAnyOrder("n1=1.0", "n9=1.0");
        assertThat(signals.signal(Signal.CONTAINER_RESTARTS_INCREASE, NOW))
                .singleElement()
                .satisfies(o -> assertThat(o.value()).isEqualTo(2));
    }

    @Test
    void crashLoopingContainersAreCountedPerClusterAsTheRestartsSignalShowsThem() {
        FleetView fleet = new FleetView();
        fleet.cluster(snapshot("c1", ClusterPhase.Ready));
        fleet.cluster(snapshot("c2", ClusterPhase.Ready));
        fleet.cluster(snapshot("c3", ClusterPhase.Ready));
        SeriesStore store = new SeriesStore(100, 3_600_000);
        long t = NOW.toEpochMilli();
        // c1: two containers restarted 3 times in the window, one once; c2: one 4 times, but its last sample is
        // stale; c3: one 3 times before the window began and not since.
        restarts(store, "c1", "a", t - 600_000, 1, t, 4);
        restarts(store, "c1", "b", t - 600_000, 0, t, 3);
        restarts(store, "c1", "c", t - 600_000, 2, t, 3);
        restarts(store, "c2", "d", t - 900_000, 0, t - 600_000, 4);
        restarts(store, "c3", "e", t - 1_800_000, 0, t - 1_200_000, 3);
        restarts(store, "c3", "e", t - 60_000, 3, t, 3);
        FleetSignals signals = new FleetSignals(fleet, store, settings());

        assertThat(signals.crashLoopingByCluster(NOW, 3)).isEqualTo(Map.of("c1", 2));
        assertThat(signals.crashLoopingByCluster(NOW, 1)).isEqualTo(Map.of("c1", 3));
        Map<String, Integer> fromSignal = new java.util.HashMap<>();
        signals.signal(Signal.CONTAINER_RESTARTS_INCREASE, NOW).stream()
                .filter(o -> o.value() >= 3)
                .forEach(o -> fromSignal.merge(o.labels().get("cluster"), 1, Integer::sum));
        assertThat(signals.crashLoopingByCluster(NOW, 3)).isEqualTo(fromSignal);
    }

    private static void restarts(
            SeriesStore store, String cluster, String container, long t1, double v1, long t2, double v2) {
        var id = new SeriesStore.SeriesId(
                cluster,
                FleetSignals.RESTARTS,
                Map.of("namespace", "n", "pod", "p-" + container, "container", container));
        store.append(id, t1, v1);
        store.append(id, t2, v2);
    }

    static FleetSignals.Settings settings() {
        return new FleetSignals.Settings(Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(24));
    }

    static ClusterSnapshot snapshot(String id, ClusterPhase phase) {
        return new ClusterSnapshot(
                id,
                id,
                null,
                Cloud.AWS,
                "us-east-1",
                "prod",
                Map.of(),
                "https://api",
                null,
                phase,
                List.of(),
                "v1.30",
                1,
                4000,
                16L << 30,
                null,
                null,
                List.of(),
                1,
                NOW);
    }
}
