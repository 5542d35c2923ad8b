package io.meridian.cost.domain;

import io.meridian.contracts.resource.Quantities;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Allocates one window's asset cost to pods, following the OpenCost specification: per container
 * {@code max(request, usage) x hours x rate} for CPU, RAM and GPU at the rates of the node it ran on; claims by
 * requested size; data transfer to the sending workload; the shared namespaces' cost spread over the other pods of
 * their cluster; and per cluster the rest of the assets as idle, so that allocations always add up to the assets.
 */
public final class Allocator {

    private static final double GB = 1e9;

    private final PriceBook prices;
    private final SharedCostPolicy shared;

    public Allocator(PriceBook prices, SharedCostPolicy shared) {
        this.prices = prices;
        this.shared = shared;
    }

    public WindowAllocation allocate(WindowInput window) {
        double hours = window.hours();
        List<Allocation> all = new ArrayList<>();
        List<ClusterAssets> assets = new ArrayList<>();
        Map<String, WindowInput.ClusterInput> byCluster = new HashMap<>();
        window.clusters().forEach(c -> byCluster.put(c.clusterId(), c));
        Map<String, List<TrafficCost>> trafficBySource = priceTraffic(window, byCluster);
        List<TrafficCost> traffic = new ArrayList<>();
        trafficBySource.values().forEach(traffic::addAll);
        for (WindowInput.ClusterInput cluster : window.clusters()) {
            allocateCluster(cluster, hours, trafficBySource.getOrDefault(cluster.clusterId(), List.of()), all, assets);
        }
        return new WindowAllocation(window.start(), window.end(), all, assets, traffic);
    }

    private void allocateCluster(
            WindowInput.ClusterInput cluster,
            double hours,
            List<TrafficCost> sent,
            List<Allocation> out,
            List<ClusterAssets> assetsOut) {
        Map<String, NodePrice> nodePrices = new HashMap<>(cluster.nodes().size() * 2);
        double assetCpu = 0;
        double assetRam = 0;
        double assetGpu = 0;
        for (NodeFacts node : cluster.nodes()) {
            NodePrice price = prices.node(cluster.cloud(), cluster.region(), node);
            nodePrices.put(node.name(), price);
            assetCpu += price.cpuCores() * price.rates().cpuCoreHour() * hours;
            assetRam += price.ramGiB() * price.rates().ramGiBHour() * hours;
            assetGpu += price.gpus() * price.rates().gpuHour() * hours;
        }

        // Claims: priced by requested size, charged to the pods that mount them (evenly when several do).
        Map<String, Double> claimCost = new HashMap<>();
        for (WindowInput.ClaimInput claim : cluster.claims()) {
            double perHour = prices.storageGiBHour(cluster.cloud(), cluster.region(), claim.storageClass());
            claimCost.put(
                    claim.namespace() + "/" + claim.name(), claim.requestBytes() / Quantities.GIB * perHour * hours);
        }
        Map<String, Integer> mounts = new HashMap<>();
        for (WindowInput.PodInput pod : cluster.pods()) {
            if (nodePrices.containsKey(pod.node())) {
                for (String claim : pod.claims()) {
                    mounts.merge(pod.namespace() + "/" + claim, 1, Integer::sum);
                }
            }
        }
        double assetPv = 0;
        for (WindowInput.VolumeInput volume : cluster.volumes()) {
            assetPv += volume.capacityBytes()
                    / Quantities.GIB
                    * prices.storageGiBHour(cluster.cloud(), cluster.region(), volume.storageClass())
                    * hours;
        }
        double claimed =
                claimCost.values().stream().mapToDouble(Double::doubleValue).sum();
        if (cluster.volumes().isEmpty()) {
            // Without observed volumes the claims are the only measure of provisioned storage.
            assetPv = claimed;
        }

        int first = out.size();
        double allocCpu = 0;
        double allocRam = 0;
        double allocGpu = 0;
        double allocPv = 0;
        for (WindowInput.PodInput pod : cluster.pods()) {
            NodePrice node = nodePrices.get(pod.node());
            if (node == null) {
                continue; // never scheduled on a node we know: it used no capacity we pay for
            }
            double podHours = hours * Math.max(0, Math.min(1, pod.runningFraction()));
            double cpuHours = 0;
            double ramGiBHours = 0;
            double gpuHours = 0;
            for (WindowInput.ContainerInput c : pod.containers()) {
                cpuHours += max(c.cpuRequestCores(), c.cpuUsageCores()) * podHours;
                ramGiBHours += max(c.ramRequestBytes(), c.ramUsageBytes()) / Quantities.GIB * podHours;
                gpuHours += c.gpuRequest() * podHours;
            }
            double pv = 0;
            for (String claim : pod.claims()) {
                String key = pod.namespace() + "/" + claim;
                Double cost = claimCost.get(key);
                if (cost != null) {
                    pv += cost / mounts.get(key);
                }
            }
            Allocation a = new Allocation(
                    cluster.clusterId(),
                    cluster.cloud(),
                    cluster.region(),
                    pod.namespace(),
                    pod.name(),
                    pod.workloadKind(),
                    pod.workloadName(),
                    pod.node(),
                    labels(cluster, pod),
                    cpuHours,
                    ramGiBHours,
                    cpuHours * node.rates().cpuCoreHour(),
                    ramGiBHours * node.rates().ramGiBHour(),
                    gpuHours * node.rates().gpuHour(),
                    pv,
                    0,
                    0,
                    false);
            allocCpu += a.cpuCost();
            allocRam += a.ramCost();
            allocGpu += a.gpuCost();
            allocPv += pv;
            out.add(a);
        }
        // Claims no running pod mounts still cost money: they stay with their namespace.
        for (WindowInput.ClaimInput claim : cluster.claims()) {
            String key = claim.namespace() + "/" + claim.name();
            if (!mounts.containsKey(key)) {
                double cost = claimCost.get(key);
                allocPv += cost;
                out.add(new Allocation(
                        cluster.clusterId(),
                        cluster.cloud(),
                        cluster.region(),
                        claim.namespace(),
                        "__unmounted__",
                        "PersistentVolumeClaim",
                        claim.name(),
                        null,
                        cluster.namespaceLabels().getOrDefault(claim.namespace(), Map.of()),
                        0,
                        0,
                        0,
                        0,
                        0,
                        cost,
                        0,
                        0,
                        false));
            }
        }

        double network = chargeTraffic(cluster, sent, out, first);
        spreadShared(out, first);

        double idleCpu = assetCpu - allocCpu;
        double idleRam = assetRam - allocRam;
        double idleGpu = assetGpu - allocGpu;
        double idlePv = assetPv - allocPv;
        if (idleCpu != 0 || idleRam != 0 || idleGpu != 0 || idlePv != 0) {
            out.add(new Allocation(
                    cluster.clusterId(),
                    cluster.cloud(),
                    cluster.region(),
                    Allocation.IDLE,
                    Allocation.IDLE,
                    null,
                    Allocation.IDLE,
                    null,
                    Map.of(),
                    0,
                    0,
                    idleCpu,
                    idleRam,
                    idleGpu,
                    idlePv,
                    0,
                    0,
                    true));
        }
        assetsOut.add(new ClusterAssets(
                cluster.clusterId(),
                cluster.cloud(),
                cluster.region(),
                cluster.nodes().size(),
                assetCpu,
                assetRam,
                assetGpu,
                assetPv,
                network));
    }

    /** Charges each flow to the pods of its sending workload; a workload with no pod here gets its own row. */
    private static double chargeTraffic(
            WindowInput.ClusterInput cluster, List<TrafficCost> sent, List<Allocation> out, int first) {
        if (sent.isEmpty()) {
            return 0;
        }
        Map<String, List<Integer>> podsOfWorkload = new HashMap<>();
        for (int i = first; i < out.size(); i++) {
            Allocation a = out.get(i);
            if (a.pod() != null && a.workloadName() != null && !"__unmounted__".equals(a.pod())) {
                podsOfWorkload
                        .computeIfAbsent(a.namespace() + "/" + a.workloadName(), k -> new ArrayList<>())
                        .add(i);
            }
        }
        double total = 0;
        for (TrafficCost t : sent) {
            total += t.cost();
            List<Integer> pods = podsOfWorkload.get(
                    t.flow().sourceNamespace() + "/" + t.flow().sourceWorkload());
            if (pods == null || pods.isEmpty()) {
                Allocation row = new Allocation(
                        cluster.clusterId(),
                        cluster.cloud(),
                        cluster.region(),
                        t.flow().sourceNamespace(),
                        "__network__",
                        null,
                        t.flow().sourceWorkload(),
                        null,
                        cluster.namespaceLabels().getOrDefault(t.flow().sourceNamespace(), Map.of()),
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        t.cost(),
                        0,
                        false);
                out.add(row);
                podsOfWorkload.put(
                        t.flow().sourceNamespace() + "/" + t.flow().sourceWorkload(), List.of(out.size() - 1));
                continue;
            }
            double share = t.cost() / pods.size();
            for (int i : pods) {
                out.set(i, out.get(i).plus(share, 0));
            }
        }
        return total;
    }

    /** Moves the cost of shared namespaces onto the other pods of the cluster; totals stay the same. */
    private void spreadShared(List<Allocation> out, int first) {
        if (shared.namespaces().isEmpty()) {
            return;
        }
        double sharedTotal = 0;
        double receiverTotal = 0;
        List<Allocation> receivers = new ArrayList<>();
        List<Allocation> givers = new ArrayList<>();
        for (int i = first; i < out.size(); i++) {
            Allocation a = out.get(i);
            if (shared.namespaces().contains(a.namespace())) {
                givers.add(a);
                sharedTotal += a.totalCost();
            } else {
                receivers.add(a);
                receiverTotal += a.totalCost();
            }
        }
        if (givers.isEmpty() || receivers.isEmpty()) {
            return; // nobody to share with: the shared namespaces keep their own cost
        }
        boolean even = shared.split() == SharedCostPolicy.Split.even || receiverTotal <= 0;
        List<Allocation> result = new ArrayList<>(receivers.size());
        for (Allocation r : receivers) {
            double part = even ? sharedTotal / receivers.size() : sharedTotal * r.totalCost() / receiverTotal;
            result.add(r.plus(0, part));
        }
        out.subList(first, out.size()).clear();
        out.addAll(result);
    }

    private Map<String, List<TrafficCost>> priceTraffic(
            WindowInput window, Map<String, WindowInput.ClusterInput> clusters) {
        Map<String, List<TrafficCost>> bySource = new HashMap<>();
        Map<String, Double> egressSoFar = new HashMap<>();
        for (WindowInput.Traffic flow : window.traffic()) {
            WindowInput.ClusterInput from = clusters.get(flow.sourceCluster());
            if (from == null || flow.bytes() <= 0) {
                continue; // the sender is not a cluster we cost
            }
            WindowInput.ClusterInput to = clusters.get(flow.destinationCluster());
            TrafficCost.Crossing crossing = to == null || !to.cloud().equals(from.cloud())
                    ? TrafficCost.Crossing.cloud
                    : to.region() != null && !to.region().equals(from.region())
                            ? TrafficCost.Crossing.region
                            : TrafficCost.Crossing.zone;
            PriceCatalog.NetworkPrices network = prices.network(from.cloud());
            double gb = flow.bytes() / GB;
            double cost = switch (crossing) {
                case zone -> gb * network.crossZonePerGB();
                case region -> gb * network.crossRegionPerGB();
                case cloud -> {
                    double prior = egressSoFar.getOrDefault(from.clusterId(), from.priorInternetEgressGB());
                    egressSoFar.put(from.clusterId(), prior + gb);
                    yield NetworkTiers.cost(network.internetTiers(), prior, gb);
                }
            };
            bySource.computeIfAbsent(from.clusterId(), k -> new ArrayList<>())
                    .add(new TrafficCost(flow, crossing, cost));
        }
        return bySource;
    }

    private static Map<String, String> labels(WindowInput.ClusterInput cluster, WindowInput.PodInput pod) {
        Map<String, String> ns = cluster.namespaceLabels().get(pod.namespace());
        if (ns == null || ns.isEmpty()) {
            return pod.labels();
        }
        // Pod labels win over namespace labels of the same key, as in OpenCost.
        Map<String, String> merged = new HashMap<>(ns);
        merged.putAll(pod.labels());
        return merged;
    }

    private static double max(double request, double usage) {
        return Double.isNaN(usage) ? request : Math.max(request, usage);
    }
}
