package io.meridian.bench;

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
import java.util.SplittableRandom;

/**
 * {@code bench cost [--pods 100000] [--windows 24] [--clusters 12] [--rounds 3]}: the cost service's allocation core
 * (the pure domain function the service calls per hourly window) over a synthetic fleet shaped like the simulator's
 * (clouds, instance types, shared namespaces, volumes, cross-cloud traffic), with the shipped price catalog. Prints the
 * time to allocate every window and aggregate it by namespace, and checks that the totals add up to the assets.
 */
final class CostBench {

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

    private final int pods;
    private final int windows;
    private final int clusters;
    private final int rounds;

    CostBench(Map<String, String> options) {
        this.pods = Integer.parseInt(options.getOrDefault("pods", "100000"));
        this.windows = Integer.parseInt(options.getOrDefault("windows", "24"));
        this.clusters = Integer.parseInt(options.getOrDefault("clusters", "12"));
        this.rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
    }

    void run() {
        PriceCatalog catalog = PriceCatalogFile.load("prices/catalog-2026-11.yaml");
        PriceBook prices = new PriceBook(
                catalog,
                List.of(),
                new OnPremPrices(
                        Map.of("baremetal-r650", 1.10), new ResourceRates(0.02, 0.0025, 0.5), Map.of(), 0.03, 0.01));
        Allocator allocator = new Allocator(
                prices,
                new SharedCostPolicy(java.util.Set.of("kube-system", "istio-system"), SharedCostPolicy.Split.weighted));

        long built = System.nanoTime();
        List<WindowInput> inputs = new ArrayList<>(windows);
        Instant start = Instant.parse("2026-11-24T00:00:00Z");
        for (int w = 0; w < windows; w++) {
            inputs.add(window(start.plus(Duration.ofHours(w)), w));
        }
        double buildSeconds = (System.nanoTime() - built) / 1e9;

        Stats allocation = new Stats();
        double lastAssets = 0;
        double lastAllocated = 0;
        int rows = 0;
        for (int round = 0; round <= rounds; round++) {
            long t0 = System.nanoTime();
            double assets = 0;
            double allocated = 0;
            rows = 0;
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
            double ms = (System.nanoTime() - t0) / 1e6;
            if (round > 0) {
                allocation.add(ms); // round 0 warms the JIT
            }
            lastAssets = assets;
            lastAllocated = allocated;
        }
        new Table("cost allocation: " + pods + " pods x " + windows + " hourly windows, " + clusters + " clusters, "
                        + Runtime.getRuntime().availableProcessors() + " cores")
                .row("input generation (not timed below)", String.format("%.2f s", buildSeconds))
                .row(
                        "allocate + aggregate all windows",
                        String.format(
                                "median %.2f s, min %.2f s, max %.2f s over %d rounds (after 1 warm-up)",
                                allocation.percentile(50) / 1000,
                                allocation.percentile(0) / 1000,
                                allocation.max() / 1000,
                                allocation.count()))
                .row("per window (median)", String.format("%.1f ms", allocation.percentile(50) / windows))
                .row("allocation rows per run", Integer.toString(rows))
                .row("asset total / allocated total", String.format("%.2f / %.2f USD", lastAssets, lastAllocated))
                .row("goal (issue #8)", "<= 5 s on 2 cores: " + (allocation.percentile(50) <= 5000 ? "met" : "NOT met"))
                .print();
    }

    private WindowInput window(Instant start, int index) {
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
                    claims.add(new WindowInput.ClaimInput(ns, claim, STORAGE[c % STORAGE.length], 20.0 * (1L << 30)));
                    volumes.add(new WindowInput.VolumeInput("pv-" + p, STORAGE[c % STORAGE.length], 20.0 * (1L << 30)));
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
