package io.meridian.cost.bench;

import io.meridian.cost.config.PriceCatalogFile;
import io.meridian.cost.domain.Aggregation;
import io.meridian.cost.domain.Allocator;
import io.meridian.cost.domain.CostTotals;
import io.meridian.cost.domain.NodeFacts;
import io.meridian.cost.domain.OnPremPrices;
import io.meridian.cost.domain.PriceBook;
import io.meridian.cost.domain.PriceCatalog;
import io.meridian.cost.domain.ResourceRates;
import io.meridian.cost.domain.SharedCostPolicy;
import io.meridian.cost.domain.WindowAllocation;
import io.meridian.cost.domain.WindowInput;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * The cost service's allocation figure (not a test; surefire does not run it): the pure allocation core the service
 * runs per hourly window ({@link Allocator}), then the aggregation by namespace, over every window of a synthetic
 * fleet shaped like the simulator's, with the shipped price catalog; goal (issue #8): at most 5 s for 100,000 pods x
 * 24 windows on 2 cores. Each measured iteration is one run over all windows. Run with {@code tools/bench/bin/cost-jmh}
 * (see tools/bench/README.md).
 */
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx2g"})
@Threads(1)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, batchSize = 1)
@Measurement(iterations = 3, batchSize = 1)
public class CostAllocationBenchmark {

    /** The fleet's windows, built once per trial (not timed), and the totals of the last run, checked at the end. */
    @State(Scope.Thread)
    public static class Fleet {

        @Param({"100000"})
        public int pods;

        @Param({"24"})
        public int windows;

        @Param({"12"})
        public int clusters;

        Allocator allocator;
        List<WindowInput> inputs;
        Run last;

        @Setup(Level.Trial)
        public void setUp() {
            allocator = allocator();
            inputs = SyntheticFleet.windows(pods, windows, clusters);
        }

        /** Every asset's cost is allocated to someone: a run whose totals differ measured a broken allocation. */
        @TearDown(Level.Trial)
        public void checkTotals() {
            if (last == null || Math.abs(last.assets() - last.allocated()) > 1e-6 * Math.max(1, last.assets())) {
                throw new IllegalStateException("asset total and allocated total differ: " + last);
            }
        }
    }

    /** The totals of one run over all windows, and the allocation rows it produced. */
    public record Run(double assets, double allocated, int rows) {}

    @Benchmark
    public Run allocateAndAggregateAllWindows(Fleet fleet) {
        fleet.last = run(fleet.allocator, fleet.inputs);
        return fleet.last;
    }

    static Run run(Allocator allocator, List<WindowInput> inputs) {
        double assets = 0;
        double allocated = 0;
        int rows = 0;
        for (WindowInput input : inputs) {
            WindowAllocation result = allocator.allocate(input);
            Map<String, CostTotals> byNamespace =
                    Aggregation.aggregate(result.allocations(), new Aggregation.ByNamespace());
            assets += result.assetTotal();
            allocated += byNamespace.values().stream()
                    .mapToDouble(CostTotals::totalCost)
                    .sum();
            rows += result.allocations().size();
        }
        return new Run(assets, allocated, rows);
    }

    /** The shipped catalog, an on-prem instance type, and the two system namespaces shared by weight. */
    static Allocator allocator() {
        PriceCatalog catalog = PriceCatalogFile.load("prices/catalog-2026-11.yaml");
        PriceBook prices = new PriceBook(
                catalog,
                List.of(),
                new OnPremPrices(
                        Map.of("baremetal-r650", 1.10), new ResourceRates(0.02, 0.0025, 0.5), Map.of(), 0.03, 0.01));
        return new Allocator(
                prices, new SharedCostPolicy(Set.of("kube-system", "istio-system"), SharedCostPolicy.Split.weighted));
    }

    /**
     * Windows of a fleet shaped like the simulator's: clusters over AWS, Azure, GCP and on-prem with their instance
     * types (a quarter of the nodes spot), six namespaces of which two are shared, one pod in fifty with a volume, a
     * sidecar in one pod in three, usage next to every request, and cross-cluster traffic. Seeded: the same
     * parameters give the same fleet.
     */
    static final class SyntheticFleet {

        private static final String[][] CLOUDS = {
            {"aws", "us-east-1", "m6i.xlarge", "c6i.2xlarge", "r6i.xlarge"},
            {"azure", "westeurope", "Standard_D4s_v5", "Standard_E4s_v5"},
            {"gcp", "europe-west1", "n2-standard-4", "e2-standard-4"},
            {"onprem", "dc1", "baremetal-r650"}
        };
        private static final String[] NAMESPACES = {
            "kube-system", "istio-system", "payments", "checkout", "data", "platform"
        };
        private static final String[] STORAGE = {"gp3", "managed-csi", "pd-balanced", "ceph-rbd"};

        private SyntheticFleet() {}

        static List<WindowInput> windows(int pods, int windows, int clusters) {
            List<WindowInput> inputs = new ArrayList<>(windows);
            Instant start = Instant.parse("2026-11-24T00:00:00Z");
            for (int w = 0; w < windows; w++) {
                inputs.add(window(start.plus(Duration.ofHours(w)), w, pods, clusters));
            }
            return inputs;
        }

        private static WindowInput window(Instant start, int index, int pods, int clusters) {
            SplittableRandom random = new SplittableRandom(42 + index);
            List<WindowInput.ClusterInput> out = new ArrayList<>(clusters);
            int perCluster = pods / clusters;
            for (int c = 0; c < clusters; c++) {
                String[] cloud = CLOUDS[c % CLOUDS.length];
                String id = cloud[0] + "-" + c;
                int nodeCount = Math.max(3, perCluster / 30);
                List<NodeFacts> nodes = new ArrayList<>(nodeCount);
                for (int n = 0; n < nodeCount; n++) {
                    String type = cloud[2 + random.nextInt(cloud.length - 2)];
                    Map<String, String> labels = n % 4 == 3 && !cloud[0].equals("onprem")
                            ? Map.of("karpenter.sh/capacity-type", "spot")
                            : Map.of();
                    nodes.add(new NodeFacts(id + "-n" + n, type, cloud[1], cloud[1] + "-a", 0, 0, 0, labels));
                }
                List<WindowInput.PodInput> podInputs = new ArrayList<>(perCluster);
                List<WindowInput.ClaimInput> claims = new ArrayList<>();
                List<WindowInput.VolumeInput> volumes = new ArrayList<>();
                for (int p = 0; p < perCluster; p++) {
                    String ns = NAMESPACES[p % NAMESPACES.length];
                    String workload = "svc-" + (p % 400);
                    List<String> podClaims = List.of();
                    if (p % 50 == 0) {
                        String claim = "data-" + p;
                        claims.add(
                                new WindowInput.ClaimInput(ns, claim, STORAGE[c % STORAGE.length], 20.0 * (1L << 30)));
                        volumes.add(
                                new WindowInput.VolumeInput("pv-" + p, STORAGE[c % STORAGE.length], 20.0 * (1L << 30)));
                        podClaims = List.of(claim);
                    }
                    double cpu = 0.05 + random.nextDouble() * 0.5;
                    double ram = (64 + random.nextInt(1024)) * 1024.0 * 1024.0;
                    List<WindowInput.ContainerInput> containers = p % 3 == 0
                            ? List.of(
                                    new WindowInput.ContainerInput(
                                            workload, cpu, ram, 0, cpu * random.nextDouble() * 1.5, ram * 0.6),
                                    new WindowInput.ContainerInput(
                                            "istio-proxy", 0.1, 128.0 * 1024 * 1024, 0, 0.02, 60.0 * 1024 * 1024))
                            : List.of(new WindowInput.ContainerInput(
                                    workload, cpu, ram, 0, cpu * random.nextDouble() * 1.5, ram * 0.6));
                    podInputs.add(new WindowInput.PodInput(
                            ns,
                            workload + "-" + p,
                            nodes.get(p % nodeCount).name(),
                            "Deployment",
                            workload,
                            Map.of("app", workload, "team", ns),
                            containers,
                            p % 20 == 0 ? 0.5 : 1.0,
                            podClaims));
                }
                out.add(new WindowInput.ClusterInput(
                        id,
                        cloud[0],
                        cloud[1],
                        nodes,
                        podInputs,
                        claims,
                        volumes,
                        Map.of("payments", Map.of("team", "payments")),
                        index * 5.0));
            }
            List<WindowInput.Traffic> traffic = new ArrayList<>();
            for (int c = 0; c < clusters; c++) {
                String from = CLOUDS[c % CLOUDS.length][0] + "-" + c;
                int d = (c + 1) % clusters;
                String to = CLOUDS[d % CLOUDS.length][0] + "-" + d;
                traffic.add(new WindowInput.Traffic(from, "checkout", "svc-1", to, "payments", "svc-2", 5e9));
                traffic.add(new WindowInput.Traffic(from, "data", "svc-4", to, "data", "svc-4", 50e9));
            }
            return new WindowInput(start, start.plus(Duration.ofHours(1)), out, traffic);
        }
    }
}
