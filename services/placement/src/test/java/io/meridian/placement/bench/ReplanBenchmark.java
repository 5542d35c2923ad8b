package io.meridian.placement.bench;

import io.meridian.contracts.selector.ClusterSelector;
import io.meridian.contracts.selector.SelectableLabels;
import io.meridian.placement.domain.ClusterFacts;
import io.meridian.placement.domain.ClusterHealth;
import io.meridian.placement.domain.ClusterRates;
import io.meridian.placement.domain.DivideBy;
import io.meridian.placement.domain.FailoverPolicy;
import io.meridian.placement.domain.FleetView;
import io.meridian.placement.domain.PlacementDecision;
import io.meridian.placement.domain.PlacementDecision.ChosenCluster;
import io.meridian.placement.domain.PlacementMode;
import io.meridian.placement.domain.PlacementPolicy;
import io.meridian.placement.domain.PlacementPolicy.ClusterRange;
import io.meridian.placement.domain.PlacementPolicy.SpreadConstraint;
import io.meridian.placement.domain.PlacementScheduler;
import io.meridian.placement.domain.Preference;
import io.meridian.placement.domain.Resources;
import io.meridian.placement.domain.RolloutStrategy;
import io.meridian.placement.domain.SchedulingRequest;
import io.meridian.placement.domain.Workload;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The placement scheduler's figure (not a test; surefire does not run it): after one cluster of the fleet is lost
 * past its grace, every workload is scheduled again against its previous decision, as the service's resync does;
 * goal (issue #16): under 1 s for 1,000 workloads x 100 clusters on one core. Each operation is one re-plan of every
 * workload. Run with {@code tools/bench/bin/placement-jmh} (see tools/bench/README.md).
 */
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx1g"})
@Threads(1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ReplanBenchmark {

    /** The fleet after the loss, the workloads and their decisions before it, built once per trial (not timed). */
    @State(Scope.Thread)
    public static class Fleet {

        @Param({"1000"})
        public int workloads;

        @Param({"100"})
        public int clusters;

        final PlacementScheduler scheduler = new PlacementScheduler();
        Scenario scenario;
        Replan last;

        @Setup(Level.Trial)
        public void setUp() {
            scenario = Scenario.build(workloads, clusters, 42);
        }

        /** A run in which nothing moved off the lost cluster measured a scheduler that ignores losses. */
        @TearDown(Level.Trial)
        public void checkTheLossWasHandled() {
            if (last == null || last.moved() + last.suppressed() != scenario.affected()) {
                throw new IllegalStateException(
                        "expected " + scenario.affected() + " workloads to move or be suppressed: " + last);
            }
        }
    }

    /** What one re-plan did: workloads that moved off the lost cluster, held by a suppression, and left alone. */
    public record Replan(int moved, int suppressed, int unchanged) {}

    @Benchmark
    public Replan replanEveryWorkloadAfterAClusterLoss(Fleet fleet) {
        fleet.last = replan(fleet.scheduler, fleet.scenario);
        return fleet.last;
    }

    static Replan replan(PlacementScheduler scheduler, Scenario scenario) {
        int moved = 0;
        int suppressed = 0;
        int unchanged = 0;
        for (int i = 0; i < scenario.workloads().size(); i++) {
            PlacementDecision before = scenario.before().get(i);
            PlacementDecision after = scheduler.schedule(new SchedulingRequest(
                    scenario.workloads().get(i), scenario.afterLoss(), before, false, Set.of(), scenario.now()));
            if (after.suppressed() != null) {
                suppressed++;
            } else if (after.chosen().stream().noneMatch(c -> c.clusterId().equals(scenario.lost()))
                    && before.chosen().stream().anyMatch(c -> c.clusterId().equals(scenario.lost()))) {
                moved++;
            } else if (shares(after).equals(shares(before))) {
                unchanged++;
            }
        }
        return new Replan(moved, suppressed, unchanged);
    }

    // Scores are relative to the candidates, which the loss changes; where the replicas run is what must not.
    private static List<String> shares(PlacementDecision decision) {
        return decision.chosen().stream()
                .map(c -> c.clusterId() + "=" + c.replicas())
                .toList();
    }

    /**
     * A fleet shaped like the simulator's (clusters over AWS, Azure, GCP and on-prem, three regions each, rates per
     * cloud, a random load), workloads with a mix of policies (duplicated on 3 to 6 clusters spread over clouds,
     * divided by capacity or weight, label orders), their decisions on the intact fleet, and the fleet once the
     * cluster that runs the most workloads has been Unreachable for a minute. Seeded: the same parameters give the
     * same scenario.
     */
    record Scenario(
            List<Workload> workloads,
            List<PlacementDecision> before,
            FleetView afterLoss,
            String lost,
            int affected,
            Instant now) {

        private static final String[] CLOUDS = {"aws", "azure", "gcp", "onprem"};
        private static final double[] CPU_RATES = {0.048, 0.050, 0.044, 0.030};
        private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

        static Scenario build(int workloadCount, int clusterCount, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            List<ClusterFacts> clusters = new ArrayList<>(clusterCount);
            for (int c = 0; c < clusterCount; c++) {
                int cloud = c % CLOUDS.length;
                String id = CLOUDS[cloud] + "-" + c;
                Map<String, String> labels = Map.of("tier", random.nextBoolean() ? "gold" : "silver");
                long cpu = 32_000 + 16_000L * random.nextInt(4);
                long memory = cpu / 1000 * (4L << 30);
                clusters.add(new ClusterFacts(
                        id,
                        id,
                        SelectableLabels.of(
                                id, CLOUDS[cloud], CLOUDS[cloud] + "-r" + random.nextInt(3), "prod", labels),
                        ClusterHealth.READY,
                        T0.minusSeconds(86_400),
                        new Resources(cpu, memory, 0),
                        new Resources(random.nextLong(cpu / 2), random.nextLong(memory / 2), 0),
                        cloud == 3 && random.nextInt(4) == 0
                                ? null // some on-prem clusters are not priced yet
                                : new ClusterRates(
                                        "USD",
                                        CPU_RATES[cloud] * (0.9 + random.nextDouble() * 0.2),
                                        0.006,
                                        0,
                                        random.nextDouble())));
            }
            FleetView intact = FleetView.of(clusters);
            PlacementScheduler scheduler = new PlacementScheduler();
            List<Workload> workloads = new ArrayList<>(workloadCount);
            List<PlacementDecision> before = new ArrayList<>(workloadCount);
            Map<String, Integer> load = new HashMap<>();
            for (int w = 0; w < workloadCount; w++) {
                Workload workload = workload(w, random);
                PlacementDecision decision = scheduler.schedule(
                        new SchedulingRequest(workload, intact, null, false, Set.of(), T0.minusSeconds(3600)));
                workloads.add(workload);
                before.add(decision);
                decision.chosen().forEach(c -> load.merge(c.clusterId(), 1, Integer::sum));
            }
            String lost = load.entrySet().stream()
                    .max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                    .orElseThrow()
                    .getKey();
            List<ClusterFacts> afterLoss = new ArrayList<>(clusters.size());
            for (ClusterFacts c : clusters) {
                afterLoss.add(
                        c.clusterId().equals(lost)
                                ? new ClusterFacts(
                                        c.clusterId(),
                                        c.name(),
                                        c.labels(),
                                        ClusterHealth.UNREACHABLE,
                                        T0.minusSeconds(60),
                                        c.allocatable(),
                                        c.requested(),
                                        c.rates())
                                : c);
            }
            int affected = (int) before.stream()
                    .filter(d ->
                            d.chosen().stream().map(ChosenCluster::clusterId).anyMatch(lost::equals))
                    .count();
            return new Scenario(workloads, before, FleetView.of(afterLoss), lost, affected, T0);
        }

        private static Workload workload(int index, SplittableRandom random) {
            int kind = random.nextInt(10);
            PlacementPolicy policy = switch (kind) {
                case 0, 1, 2, 3, 4 ->
                    new PlacementPolicy(
                            ClusterSelector.ALL,
                            PlacementMode.DUPLICATED,
                            0,
                            DivideBy.WEIGHTS,
                            List.of(),
                            new ClusterRange(2, 3 + random.nextInt(4)),
                            List.of(new SpreadConstraint("cloud", 2)),
                            new Preference.Cheapest());
                case 5, 6 ->
                    new PlacementPolicy(
                            ClusterSelector.ALL.withClouds(List.of("aws", "gcp", "azure")),
                            PlacementMode.DIVIDED,
                            6 + random.nextInt(24),
                            DivideBy.CAPACITY,
                            List.of(),
                            new ClusterRange(3, 6),
                            List.of(new SpreadConstraint("region", 2)),
                            new Preference.MostFreeCapacity());
                case 7, 8 ->
                    new PlacementPolicy(
                            ClusterSelector.parse("tier=gold"),
                            PlacementMode.DIVIDED,
                            10,
                            DivideBy.WEIGHTS,
                            List.of(new PlacementPolicy.StaticWeight(
                                    ClusterSelector.ALL.withClouds(List.of("onprem")), 3)),
                            new ClusterRange(3, 4),
                            List.of(),
                            new Preference.Cheapest());
                default ->
                    new PlacementPolicy(
                            ClusterSelector.ALL,
                            PlacementMode.DUPLICATED,
                            0,
                            DivideBy.WEIGHTS,
                            List.of(),
                            new ClusterRange(1, 4),
                            List.of(),
                            new Preference.LabelOrder("cloud", List.of("gcp", "aws", "azure")));
            };
            Map<String, Object> container = Map.of(
                    "name",
                    "app",
                    "resources",
                    Map.of(
                            "requests",
                            Map.of(
                                    "cpu",
                                    (100 + random.nextInt(900)) + "m",
                                    "memory",
                                    (128 << random.nextInt(4)) + "Mi")));
            Map<String, Object> deployment = Map.of(
                    "apiVersion",
                    "apps/v1",
                    "kind",
                    "Deployment",
                    "metadata",
                    Map.of("name", "app"),
                    "spec",
                    Map.of(
                            "replicas",
                            1 + random.nextInt(4),
                            "template",
                            Map.of("spec", Map.of("containers", List.of(container)))));
            return new Workload(
                    "app-" + index,
                    "team-" + index % 20,
                    1,
                    List.of(deployment),
                    policy,
                    RolloutStrategy.DEFAULT,
                    FailoverPolicy.DEFAULT,
                    List.of());
        }
    }
}
