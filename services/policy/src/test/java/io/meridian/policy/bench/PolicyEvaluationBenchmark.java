package io.meridian.policy.bench;

import io.meridian.policy.domain.CompiledPolicy;
import io.meridian.policy.domain.FleetCluster;
import io.meridian.policy.domain.FleetCompliance;
import io.meridian.policy.domain.FleetObject;
import io.meridian.policy.domain.PolicyDefinition;
import io.meridian.policy.domain.PolicyLibrary;
import io.meridian.policy.domain.Verdict;
import io.meridian.policy.domain.cel.CelEnvironment;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The policy engine's figures (not a test; surefire does not run it): object-policy evaluations per second on one
 * thread, with the built-in policies on realistic pods; and the full re-audit of 100,000 observed objects after a
 * policy change. Run with {@code services/policy/bench} (see README).
 */
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx2g"})
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PolicyEvaluationBenchmark {

    /** One object against one policy, for every built-in policy in turn (objects are varied). */
    @State(Scope.Thread)
    public static class SingleEvaluation {
        List<CompiledPolicy> policies;
        List<FleetObject> pods;
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            policies = PolicyLibrary.load().values().stream()
                    .map(d -> ((CompiledPolicy.Ok) CompiledPolicy.compile(d, 1)).policy())
                    .filter(p -> p.selectsKind(pod("c", 0, false)))
                    .toList();
            pods = java.util.stream.IntStream.range(0, 64)
                    .mapToObj(i -> pod("c", i, i % 7 == 0))
                    .toList();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Verdict objectPolicyEvaluation(SingleEvaluation s) {
        int i = s.next++;
        CompiledPolicy policy = s.policies.get(i % s.policies.size());
        return policy.evaluate(s.pods.get((i / s.policies.size()) % s.pods.size()), null);
    }

    /** A fleet of 100 clusters x 1,000 pods, audited against the built-ins, about to get a changed policy. */
    @State(Scope.Thread)
    public static class Fleet {
        FleetCompliance fleet;
        CompiledPolicy changed;
        long generation = 2;

        @Setup(Level.Trial)
        public void setUp() {
            fleet = new FleetCompliance(Clock.systemUTC());
            for (int c = 0; c < 100; c++) {
                fleet.cluster(FleetCluster.of("cluster-" + c, "aws", null, "prod", Map.of()));
                for (int i = 0; i < 1_000; i++) {
                    fleet.observe(pod("cluster-" + c, i, i % 50 == 0), 1);
                }
            }
            PolicyDefinition def = PolicyLibrary.load().get("disallow-privileged");
            fleet.policy(((CompiledPolicy.Ok) CompiledPolicy.compile(def, 1)).policy());
            changed = ((CompiledPolicy.Ok) CompiledPolicy.compile(def, 2)).policy();
        }

        @Setup(Level.Invocation)
        public void nextGeneration() {
            PolicyDefinition def = PolicyLibrary.load().get("disallow-privileged");
            changed = ((CompiledPolicy.Ok) CompiledPolicy.compile(def, ++generation)).policy();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2, batchSize = 1)
    @Measurement(iterations = 5, batchSize = 1)
    public List<FleetCompliance.Transition> reauditOfOneHundredThousandObjects(Fleet f) {
        return f.fleet.policy(f.changed);
    }

    @SuppressWarnings("unchecked")
    static FleetObject pod(String cluster, int i, boolean privileged) {
        Map<String, Object> manifest = Map.of(
                "apiVersion",
                "v1",
                "kind",
                "Pod",
                "metadata",
                Map.of(
                        "name", "pod-" + i,
                        "namespace", "team-" + (i % 20),
                        "labels", Map.of("app", "app-" + (i % 50), "cost-center", "cc-" + (i % 5))),
                "spec",
                Map.of(
                        "securityContext", Map.of("runAsNonRoot", true),
                        "volumes", List.of(Map.of("name", "data", "emptyDir", Map.of())),
                        "containers",
                                List.of(
                                        Map.of(
                                                "name",
                                                "app",
                                                "image",
                                                "registry.meridian.io/app-" + (i % 50) + ":1." + (i % 9),
                                                "securityContext",
                                                Map.of("privileged", privileged, "allowPrivilegeEscalation", false),
                                                "resources",
                                                Map.of(
                                                        "requests", Map.of("cpu", "250m", "memory", "256Mi"),
                                                        "limits", Map.of("memory", "512Mi"))),
                                        Map.of(
                                                "name", "sidecar",
                                                "image", "registry.meridian.io/proxy:2.3",
                                                "resources",
                                                        Map.of(
                                                                "requests", Map.of("cpu", "50m", "memory", "64Mi"),
                                                                "limits", Map.of("memory", "128Mi"))))));
        return new FleetObject(
                cluster, "", "v1", "Pod", "team-" + (i % 20), "pod-" + i, Map.of("app", "app-" + (i % 50)), (Map<
                                String, Object>)
                        CelEnvironment.toCel(manifest));
    }
}
