package io.meridian.cost.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meridian.contracts.resource.Quantities;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hand-computed allocations of one hour. Rates: CPU 0.03 per core-hour, RAM 0.005 per GiB-hour. */
class AllocatorTest {

    private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
    private static final Instant END = Instant.parse("2026-11-25T11:00:00Z");
    private static final double GIB = Quantities.GIB;

    private static NodeFacts node(String name, String type, Map<String, String> labels) {
        return new NodeFacts(name, type, "us-east-1", "us-east-1a", 0, 0, 0, labels);
    }

    private static WindowInput.PodInput pod(
            String ns, String name, double cpu, double ramGiB, double cpuUse, double ramUseGiB, List<String> claims) {
        return new WindowInput.PodInput(
                ns,
                name,
                "n1",
                "Deployment",
                name,
                Map.of("team", ns),
                List.of(new WindowInput.ContainerInput(name, cpu, ramGiB * GIB, 0, cpuUse, ramUseGiB * GIB)),
                1.0,
                claims);
    }

    private static WindowInput.ClusterInput aws(List<WindowInput.PodInput> pods) {
        return new WindowInput.ClusterInput(
                "aws-1",
                "aws",
                "us-east-1",
                List.of(node("n1", "m.test", Map.of())),
                pods,
                List.of(new WindowInput.ClaimInput("payments", "data", "gp3", 10 * GIB)),
                List.of(new WindowInput.VolumeInput("pv-1", "gp3", 20 * GIB)),
                Map.of("payments", Map.of("cost-centre", "cc-7")),
                0);
    }

    private static final List<WindowInput.PodInput> PODS = List.of(
            // max(1, 1.5) cores and max(2, 1) GiB: 0.045 + 0.010
            pod("payments", "api", 1, 2, 1.5, 1, List.of("data")),
            // no usage known: requests alone, 0.015 + 0.005
            pod("kube-system", "coredns", 0.5, 1, Double.NaN, Double.NaN, List.of()),
            // 0.015 + 0.020
            pod("checkout", "web", 0.5, 4, 0.2, 1, List.of()));

    @Test
    void containersPayMaxOfRequestAndUsageAndTheRestIsIdle() {
        WindowAllocation result = new Allocator(TestPrices.book(), SharedCostPolicy.NONE)
                .allocate(new WindowInput(START, END, List.of(aws(PODS)), List.of()));

        Allocation api = find(result, "api");
        assertThat(api.cpuCost()).isCloseTo(0.045, within(1e-12));
        assertThat(api.ramCost()).isCloseTo(0.010, within(1e-12));
        // 10 GiB of gp3 at 0.073 per GiB-month = 0.0001 per GiB-hour
        assertThat(api.pvCost()).isCloseTo(0.001, within(1e-12));
        assertThat(api.labels()).containsEntry("cost-centre", "cc-7").containsEntry("team", "payments");
        assertThat(find(result, "coredns").totalCost()).isCloseTo(0.020, within(1e-12));

        Allocation idle = find(result, Allocation.IDLE);
        assertThat(idle.idle()).isTrue();
        assertThat(idle.cpuCost()).isCloseTo(0.12 - 0.075, within(1e-12));
        assertThat(idle.ramCost()).isCloseTo(0.08 - 0.035, within(1e-12));
        // 20 GiB provisioned, 10 claimed
        assertThat(idle.pvCost()).isCloseTo(0.001, within(1e-12));

        assertThat(result.assetTotal()).isCloseTo(0.20 + 0.002, within(1e-12));
        assertThat(result.allocatedTotal()).isCloseTo(result.assetTotal(), within(1e-12));
    }

    @Test
    void sharedNamespacesAreSpreadInProportionToEachWorkloadsCost() {
        var policy = new SharedCostPolicy(Set.of("kube-system"), SharedCostPolicy.Split.weighted);
        WindowAllocation result = new Allocator(TestPrices.book(), policy)
                .allocate(new WindowInput(START, END, List.of(aws(PODS)), null));

        assertThat(result.allocations()).noneMatch(a -> a.namespace().equals("kube-system"));
        // coredns' 0.020 goes to api (0.056 incl. its volume) and web (0.035) by their weight
        double api = 0.056;
        double web = 0.035;
        assertThat(find(result, "api").sharedCost()).isCloseTo(0.020 * api / (api + web), within(1e-12));
        assertThat(find(result, "web").sharedCost()).isCloseTo(0.020 * web / (api + web), within(1e-12));
        assertThat(result.allocatedTotal()).isCloseTo(result.assetTotal(), within(1e-12));
    }

    @Test
    void sharedNamespacesCanBeSpreadEvenly() {
        var policy = new SharedCostPolicy(Set.of("kube-system"), SharedCostPolicy.Split.even);
        WindowAllocation result = new Allocator(TestPrices.book(), policy)
                .allocate(new WindowInput(START, END, List.of(aws(PODS)), null));

        assertThat(find(result, "api").sharedCost()).isCloseTo(0.010, within(1e-12));
        assertThat(find(result, "web").sharedCost()).isCloseTo(0.010, within(1e-12));
    }

    @Test
    void trafficAcrossCloudsIsChargedToTheSendingWorkloadByVolumeTier() {
        var gcp = new WindowInput.ClusterInput(
                "gcp-1",
                "gcp",
                "us-central1",
                List.of(new NodeFacts("g1", "n.test", "us-central1", "us-central1-a", 0, 0, 0, Map.of())),
                List.of(),
                List.of(),
                List.of(),
                Map.of(),
                0);
        // 2 GB out of AWS: the first GB at 0.10, the second at 0.05; 1 GB to another zone at 0.02
        var toGcp = new WindowInput.Traffic("aws-1", "payments", "api", "gcp-1", "data", "kafka", 2e9);
        var intra = new WindowInput.Traffic("aws-1", "checkout", "web", "aws-2", "data", "kafka", 1e9);
        var aws2 = new WindowInput.ClusterInput(
                "aws-2", "aws", "us-east-1", List.of(), List.of(), List.of(), List.of(), Map.of(), 0);

        WindowAllocation result = new Allocator(TestPrices.book(), SharedCostPolicy.NONE)
                .allocate(new WindowInput(START, END, List.of(aws(PODS), gcp, aws2), List.of(toGcp, intra)));

        assertThat(find(result, "api").networkCost()).isCloseTo(0.15, within(1e-12));
        assertThat(find(result, "web").networkCost()).isCloseTo(0.02, within(1e-12));
        assertThat(result.traffic())
                .extracting(TrafficCost::crossing)
                .containsExactlyInAnyOrder(TrafficCost.Crossing.cloud, TrafficCost.Crossing.zone);
        assertThat(result.assets().stream()
                        .filter(a -> a.cluster().equals("aws-1"))
                        .findFirst()
                        .orElseThrow()
                        .networkCost())
                .isCloseTo(0.17, within(1e-12));
        assertThat(result.allocatedTotal()).isCloseTo(result.assetTotal(), within(1e-12));
    }

    @Test
    void spotNodesCostTheSpotShareAndOverridesReplaceCatalogPrices() {
        PriceBook book = TestPrices.book(
                new PriceOverride(PriceOverride.Kind.instance, "aws", "*", "c.test", 0.50),
                new PriceOverride(PriceOverride.Kind.instance, "aws", "us-east-1", "c.test", 0.40));

        NodePrice spot =
                book.node("aws", "us-east-1", node("s", "m.test", Map.of("eks.amazonaws.com/capacityType", "SPOT")));
        NodePrice karpenter =
                book.node("aws", "us-east-1", node("k", "m.test", Map.of("karpenter.sh/capacity-type", "spot")));
        NodePrice overridden = book.node("aws", "us-east-1", node("c", "c.test", Map.of()));
        NodePrice unknown = book.node("aws", "us-east-1", new NodeFacts("u", "x.huge", null, null, 2, 8, 0, Map.of()));
        NodePrice owned = book.node("onprem", "dc1", node("m", "metal.test", Map.of()));

        assertThat(spot.hourly()).isCloseTo(0.08, within(1e-12));
        assertThat(spot.spot()).isTrue();
        assertThat(karpenter.spot()).isTrue();
        assertThat(overridden.hourly()).isEqualTo(0.40);
        assertThat(overridden.source()).isEqualTo("override");
        assertThat(unknown.hourly()).isCloseTo(2 * 0.03 + 8 * 0.005, within(1e-12));
        assertThat(unknown.source()).isEqualTo("estimated");
        assertThat(owned.hourly()).isEqualTo(1.00);
        assertThat(owned.source()).isEqualTo("onprem");
    }

    @Test
    void gkeAndAzureSpotLabelsAreRecognised() {
        assertThat(SpotCapacity.isSpot(Map.of("cloud.google.com/gke-spot", "true"), Map.of()))
                .isTrue();
        assertThat(SpotCapacity.isSpot(Map.of("cloud.google.com/gke-preemptible", "true"), Map.of()))
                .isTrue();
        assertThat(SpotCapacity.isSpot(Map.of("kubernetes.azure.com/scalesetpriority", "spot"), Map.of()))
                .isTrue();
        assertThat(SpotCapacity.isSpot(Map.of("eks.amazonaws.com/capacityType", "ON_DEMAND"), Map.of()))
                .isFalse();
    }

    @Test
    void aggregatesByCloudClusterNamespaceAndLabelAddUpToTheAssets() {
        var policy = new SharedCostPolicy(Set.of("kube-system"), SharedCostPolicy.Split.weighted);
        WindowAllocation result = new Allocator(TestPrices.book(), policy)
                .allocate(new WindowInput(START, END, List.of(aws(PODS)), null));

        for (String by : List.of("cloud", "cluster", "namespace", "workload", "label:team", "label:nope")) {
            var groups = Aggregation.aggregate(
                    result.allocations(), Aggregation.parse(by).orElseThrow());
            double sum =
                    groups.values().stream().mapToDouble(CostTotals::totalCost).sum();
            assertThat(sum).as(by).isCloseTo(result.assetTotal(), within(1e-12));
        }
        var byLabel = Aggregation.aggregate(result.allocations(), new Aggregation.ByLabel("cost-centre"));
        assertThat(byLabel).containsKeys("cc-7", Aggregation.UNALLOCATED, Allocation.IDLE);
        assertThat(Aggregation.parse("label:")).isEmpty();
        assertThat(Aggregation.parse("pod")).isEmpty();
    }

    private static Allocation find(WindowAllocation result, String pod) {
        return result.allocations().stream()
                .filter(a -> a.pod().equals(pod))
                .findFirst()
                .orElseThrow();
    }
}
