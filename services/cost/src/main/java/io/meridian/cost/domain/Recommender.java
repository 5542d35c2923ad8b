package io.meridian.cost.domain;

import io.meridian.contracts.resource.Quantities;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Recommendations with estimated monthly savings, from the recent windows and usage: right-size requests to a usage
 * percentile over a target utilization (with floors); move portable compute-heavy workloads to the cheapest cloud;
 * co-locate pairs of workloads whose cross-cloud traffic costs more than a threshold; remove idle workloads and
 * underused nodes.
 */
public final class Recommender {

    private final PriceBook prices;
    private final RecommendationRules rules;

    public Recommender(PriceBook prices, RecommendationRules rules) {
        this.prices = prices;
        this.rules = rules;
    }

    public List<Recommendation> recommend(
            List<WindowAllocation> windows, List<UsageSummary.Container> containers, List<UsageSummary.Node> nodes) {
        List<Recommendation> out = new ArrayList<>();
        double hours = windows.stream()
                .mapToDouble(w -> java.time.Duration.between(w.start(), w.end()).toMillis() / 3_600_000.0)
                .sum();
        rightsize(containers, out);
        idle(containers, windows, hours, out);
        if (hours > 0) {
            cheaperCloud(windows, hours, out);
            colocate(windows, hours, out);
        }
        underusedNodes(nodes, out);
        out.removeIf(r -> r.monthlySavings() < rules.minMonthlySavings());
        out.sort(Comparator.comparingDouble(Recommendation::monthlySavings).reversed());
        return out;
    }

    private record Workload(String cluster, String namespace, String kind, String name) {
        String target() {
            return cluster + "/" + namespace + "/" + kind + "/" + name;
        }
    }

    private void rightsize(List<UsageSummary.Container> containers, List<Recommendation> out) {
        // Per workload and container name: pods of one workload share a spec, so they are sized together.
        Map<List<String>, List<UsageSummary.Container>> groups = new LinkedHashMap<>();
        for (UsageSummary.Container c : containers) {
            if (c.cpu() == null || c.cpu().count() == 0) {
                continue;
            }
            groups.computeIfAbsent(
                            List.of(c.cluster(), c.namespace(), c.workloadKind(), c.workloadName(), c.container()),
                            k -> new ArrayList<>())
                    .add(c);
        }
        for (var e : groups.entrySet()) {
            List<UsageSummary.Container> pods = e.getValue();
            UsageSummary.Container first = pods.getFirst();
            SeriesStats cpu = new SeriesStats();
            SeriesStats ram = new SeriesStats();
            pods.forEach(p -> {
                cpu.addAll(p.cpu());
                if (p.ram() != null) {
                    ram.addAll(p.ram());
                }
            });
            double cpuTarget =
                    Math.max(rules.cpuFloorCores(), cpu.percentile(rules.percentile()) / rules.cpuTargetUtilization());
            double ramTarget = ram.count() == 0
                    ? first.ramRequestBytes()
                    : Math.max(
                            rules.ramFloorBytes(), ram.percentile(rules.percentile()) / rules.ramTargetUtilization());
            double cpuFreed = Math.max(0, first.cpuRequestCores() - cpuTarget);
            double ramFreed = Math.max(0, first.ramRequestBytes() - ramTarget);
            double perPodHourly = cpuFreed * first.rates().cpuCoreHour()
                    + ramFreed / Quantities.GIB * first.rates().ramGiBHour();
            double monthly = perPodHourly * pods.size() * prices.hoursPerMonth();
            if (monthly <= 0) {
                continue;
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("container", first.container());
            details.put("pods", pods.size());
            details.put("cpuRequestMillis", Math.round(first.cpuRequestCores() * 1000));
            details.put("cpuRecommendedMillis", Math.round(Math.min(cpuTarget, first.cpuRequestCores()) * 1000));
            details.put("memoryRequestMiB", Math.round(first.ramRequestBytes() / (1024 * 1024)));
            details.put(
                    "memoryRecommendedMiB", Math.round(Math.min(ramTarget, first.ramRequestBytes()) / (1024 * 1024)));
            details.put("percentile", rules.percentile());
            Workload w = new Workload(first.cluster(), first.namespace(), first.workloadKind(), first.workloadName());
            out.add(new Recommendation(
                    "rightsize",
                    w.target(),
                    first.cluster(),
                    String.format(
                            Locale.ROOT,
                            "Lower the requests of container %s to %dm CPU and %d MiB memory (p%.0f usage over target"
                                    + " utilization)",
                            first.container(),
                            details.get("cpuRecommendedMillis"),
                            details.get("memoryRecommendedMiB"),
                            rules.percentile()),
                    monthly,
                    details));
        }
    }

    private void idle(
            List<UsageSummary.Container> containers,
            List<WindowAllocation> windows,
            double hours,
            List<Recommendation> out) {
        Map<Workload, double[]> usage = new HashMap<>(); // [cpu mean sum, containers with samples, containers]
        for (UsageSummary.Container c : containers) {
            if (rules.sharedNamespaces().contains(c.namespace())) {
                continue;
            }
            double[] u = usage.computeIfAbsent(
                    new Workload(c.cluster(), c.namespace(), c.workloadKind(), c.workloadName()), k -> new double[3]);
            u[2]++;
            if (c.cpu() != null && c.cpu().count() > 0) {
                u[0] += c.cpu().mean();
                u[1]++;
            }
        }
        Map<Workload, Double> cost = workloadCost(windows);
        for (var e : usage.entrySet()) {
            double[] u = e.getValue();
            // Every container measured, and all of them together hardly used a CPU.
            if (u[1] < u[2] || u[1] == 0 || u[0] >= rules.idleCpuCores()) {
                continue;
            }
            double monthly = hours > 0 ? cost.getOrDefault(e.getKey(), 0.0) / hours * prices.hoursPerMonth() : 0;
            out.add(new Recommendation(
                    "idle-workload",
                    e.getKey().target(),
                    e.getKey().cluster(),
                    String.format(
                            Locale.ROOT,
                            "%s %s used %.4f CPU cores on average: scale it to zero or remove it",
                            e.getKey().kind(),
                            e.getKey().name(),
                            u[0]),
                    monthly,
                    Map.of("cpuUsageCores", u[0])));
        }
    }

    private void cheaperCloud(List<WindowAllocation> windows, double hours, List<Recommendation> out) {
        Map<String, Double> scale = prices.cheapestScaleByCloud();
        Map<Workload, double[]> portable = new HashMap<>(); // [cpu core-hours, ram GiB-hours, cost]
        Map<Workload, String> cloudOf = new HashMap<>();
        for (WindowAllocation w : windows) {
            for (Allocation a : w.allocations()) {
                if (a.idle() || !"true".equalsIgnoreCase(a.labels().get(rules.portableLabel()))) {
                    continue;
                }
                Workload key = new Workload(a.cluster(), a.namespace(), a.workloadKind(), a.workloadName());
                double[] v = portable.computeIfAbsent(key, k -> new double[3]);
                v[0] += a.cpuCoreHours();
                v[1] += a.ramGiBHours();
                v[2] += a.cpuCost() + a.ramCost();
                cloudOf.put(key, a.cloud());
            }
        }
        ResourceRates base = prices.catalog().ratioBase();
        for (var e : portable.entrySet()) {
            double[] v = e.getValue();
            double currentMonthly = v[2] / hours * prices.hoursPerMonth();
            double baseHourly = (v[0] * base.cpuCoreHour() + v[1] * base.ramGiBHour()) / hours;
            String here = cloudOf.get(e.getKey());
            String best = null;
            double bestMonthly = currentMonthly;
            for (var s : scale.entrySet()) {
                double monthly = baseHourly * s.getValue() * prices.hoursPerMonth();
                if (!s.getKey().equals(here) && monthly < bestMonthly) {
                    best = s.getKey();
                    bestMonthly = monthly;
                }
            }
            if (best != null) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("from", here);
                details.put("to", best);
                details.put("currentMonthly", currentMonthly);
                details.put("estimatedMonthly", bestMonthly);
                out.add(new Recommendation(
                        "cheaper-cloud",
                        e.getKey().target(),
                        e.getKey().cluster(),
                        String.format(
                                Locale.ROOT,
                                "The same capacity costs %.2f instead of %.2f a month on %s: move portable %s %s there",
                                bestMonthly,
                                currentMonthly,
                                best,
                                e.getKey().kind(),
                                e.getKey().name()),
                        currentMonthly - bestMonthly,
                        details));
            }
        }
    }

    private void colocate(List<WindowAllocation> windows, double hours, List<Recommendation> out) {
        Map<List<String>, double[]> pairs = new LinkedHashMap<>(); // [cost, bytes]
        for (WindowAllocation w : windows) {
            for (TrafficCost t : w.traffic()) {
                if (t.crossing() != TrafficCost.Crossing.cloud) {
                    continue;
                }
                String a = t.flow().sourceCluster() + "/" + t.flow().sourceNamespace() + "/"
                        + t.flow().sourceWorkload();
                String b = t.flow().destinationCluster() + "/" + t.flow().destinationNamespace() + "/"
                        + t.flow().destinationWorkload();
                // One pair however the bytes flow: the egress of both directions is saved by co-locating.
                List<String> key = a.compareTo(b) <= 0 ? List.of(a, b) : List.of(b, a);
                double[] v = pairs.computeIfAbsent(key, k -> new double[2]);
                v[0] += t.cost();
                v[1] += t.flow().bytes();
            }
        }
        for (var e : pairs.entrySet()) {
            double monthly = e.getValue()[0] / hours * prices.hoursPerMonth();
            if (monthly <= rules.chattyMonthlyEgress()) {
                continue;
            }
            String a = e.getKey().get(0);
            String b = e.getKey().get(1);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("workloads", e.getKey());
            details.put("bytesPerHour", e.getValue()[1] / hours);
            details.put("egressMonthly", monthly);
            out.add(new Recommendation(
                    "colocate",
                    a + " <-> " + b,
                    a.substring(0, a.indexOf('/')),
                    String.format(
                            Locale.ROOT,
                            "%s and %s talk across clouds for %.2f a month of egress: run them in the same cloud",
                            a,
                            b,
                            monthly),
                    monthly,
                    details));
        }
    }

    private void underusedNodes(List<UsageSummary.Node> nodes, List<Recommendation> out) {
        for (UsageSummary.Node n : nodes) {
            if (n.samples() == 0 || n.price().cpuCores() <= 0 || n.price().ramGiB() <= 0) {
                continue;
            }
            double cpuShare = n.cpuUsageCores() / n.price().cpuCores();
            double ramShare = n.ramUsageBytes() / Quantities.GIB / n.price().ramGiB();
            if (cpuShare >= rules.underusedNodeUtilization() || ramShare >= rules.underusedNodeUtilization()) {
                continue;
            }
            out.add(new Recommendation(
                    "underused-node",
                    n.cluster() + "/" + n.name(),
                    n.cluster(),
                    String.format(
                            Locale.ROOT,
                            "Node %s uses %.0f%% of its CPU and %.0f%% of its memory: drain it and remove it or use a"
                                    + " smaller type",
                            n.name(),
                            cpuShare * 100,
                            ramShare * 100),
                    n.price().hourly() * prices.hoursPerMonth(),
                    Map.of("cpuUtilization", cpuShare, "memoryUtilization", ramShare)));
        }
    }

    private static Map<Workload, Double> workloadCost(List<WindowAllocation> windows) {
        Map<Workload, Double> cost = new HashMap<>();
        for (WindowAllocation w : windows) {
            for (Allocation a : w.allocations()) {
                if (!a.idle()) {
                    cost.merge(
                            new Workload(a.cluster(), a.namespace(), a.workloadKind(), a.workloadName()),
                            a.totalCost() - a.sharedCost(),
                            Double::sum);
                }
            }
        }
        return cost;
    }
}
