package io.meridian.observability.domain;

import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.cluster.ConditionStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Judges the health of every cluster and rolls it up per cloud and for the fleet. */
public final class HealthAssessor {

    /** Saturation levels: at or above {@code warning} a cluster is warning, at or above {@code critical} critical. */
    public record Thresholds(double saturationWarning, double saturationCritical, double crashLoopRestarts) {}

    private final FleetView fleet;
    private final FleetSignals signals;
    private final Thresholds thresholds;

    public HealthAssessor(FleetView fleet, FleetSignals signals, Thresholds thresholds) {
        this.fleet = fleet;
        this.signals = signals;
        this.thresholds = thresholds;
    }

    public FleetHealth assess(Instant now, int firingAlerts) {
        Map<String, Integer> crashLooping = signals.crashLoopingByCluster(now, thresholds.crashLoopRestarts());
        List<FleetHealth.ClusterHealth> clusters = new ArrayList<>();
        for (ClusterSnapshot c : fleet.clusters()) {
            clusters.add(cluster(c, now, crashLooping.getOrDefault(c.clusterId(), 0)));
        }
        Map<String, List<FleetHealth.ClusterHealth>> byCloud = new TreeMap<>();
        clusters.forEach(
                h -> byCloud.computeIfAbsent(h.cloud(), k -> new ArrayList<>()).add(h));
        List<FleetHealth.CloudHealth> clouds = new ArrayList<>();
        byCloud.forEach((cloud, members) -> clouds.add(cloud(cloud, members)));
        FleetHealth.Status status = FleetHealth.Status.healthy;
        for (FleetHealth.ClusterHealth h : clusters) {
            status = status.worst(h.status());
        }
        FleetHealth.Summary summary = new FleetHealth.Summary(
                status,
                clusters.size(),
                count(clusters, FleetHealth.Status.healthy),
                count(clusters, FleetHealth.Status.warning),
                count(clusters, FleetHealth.Status.critical),
                count(clusters, FleetHealth.Status.unknown),
                clusters.stream().mapToInt(FleetHealth.ClusterHealth::nodes).sum(),
                sumKnown(clusters),
                clusters.stream()
                        .mapToInt(FleetHealth.ClusterHealth::crashLoopingContainers)
                        .sum(),
                firingAlerts);
        return new FleetHealth(now, summary, List.copyOf(clouds), List.copyOf(clusters));
    }

    private FleetHealth.ClusterHealth cluster(ClusterSnapshot c, Instant now, int crashLooping) {
        List<String> reasons = new ArrayList<>();
        FleetHealth.Status status = FleetHealth.Status.healthy;
        switch (c.phase()) {
            case Unreachable -> {
                status = FleetHealth.Status.critical;
                reasons.add("cluster is unreachable");
            }
            case Pending, Connecting -> {
                status = FleetHealth.Status.unknown;
                reasons.add("cluster is " + c.phase().name().toLowerCase(java.util.Locale.ROOT));
            }
            case Degraded -> {
                status = FleetHealth.Status.warning;
                reasons.add("inventory reports the cluster Degraded");
            }
            default -> {}
        }
        Map<String, Boolean> readiness = signals.nodeReadiness(c.clusterId(), now, true);
        Integer nodesReady;
        int nodes = c.nodeCount();
        if (!readiness.isEmpty()) {
            nodesReady = (int)
                    readiness.values().stream().filter(Boolean::booleanValue).count();
            nodes = Math.max(nodes, readiness.size());
        } else {
            nodesReady = c.conditions().stream()
                    .filter(k -> "NodesReady".equals(k.type()) && k.status() == ConditionStatus.True)
                    .findFirst()
                    .map(k -> c.nodeCount())
                    .orElse(null);
        }
        if (c.phase() != io.meridian.contracts.cluster.ClusterPhase.Unreachable
                && nodesReady != null
                && nodesReady < nodes) {
            status = status.worst(nodesReady == 0 ? FleetHealth.Status.critical : FleetHealth.Status.warning);
            reasons.add((nodes - nodesReady) + " of " + nodes + " nodes not Ready");
        }
        if (crashLooping > 0) {
            status = status.worst(FleetHealth.Status.warning);
            reasons.add(crashLooping + " containers crash-looping");
        }
        double cpuAllocatable = c.allocatableCpuMillis() / 1000.0;
        double memoryAllocatable = c.allocatableMemoryBytes();
        Double cpu = signals.nodeSum(FleetSignals.NODE_CPU, c.clusterId(), now);
        Double memory = signals.nodeSum(FleetSignals.NODE_MEMORY, c.clusterId(), now);
        Double cpuSaturation = cpu != null && cpuAllocatable > 0 ? cpu / cpuAllocatable : null;
        Double memorySaturation = memory != null && memoryAllocatable > 0 ? memory / memoryAllocatable : null;
        status = saturation("CPU", cpuSaturation, status, reasons);
        status = saturation("memory", memorySaturation, status, reasons);
        return new FleetHealth.ClusterHealth(
                c.clusterId(),
                c.cloud().wireName(),
                c.region(),
                c.phase().name(),
                status,
                nodes,
                nodesReady,
                crashLooping,
                cpu,
                cpuAllocatable,
                cpuSaturation,
                memory,
                memoryAllocatable,
                memorySaturation,
                cpu != null || memory != null,
                List.copyOf(reasons));
    }

    private FleetHealth.Status saturation(
            String what, Double saturation, FleetHealth.Status status, List<String> reasons) {
        if (saturation == null) {
            return status;
        }
        if (saturation >= thresholds.saturationCritical()) {
            reasons.add(what + " saturation " + Math.round(saturation * 100) + "%");
            return status.worst(FleetHealth.Status.critical);
        }
        if (saturation >= thresholds.saturationWarning()) {
            reasons.add(what + " saturation " + Math.round(saturation * 100) + "%");
            return status.worst(FleetHealth.Status.warning);
        }
        return status;
    }

    private static FleetHealth.CloudHealth cloud(String cloud, List<FleetHealth.ClusterHealth> members) {
        FleetHealth.Status status = FleetHealth.Status.healthy;
        double cpuUsed = 0;
        double cpuAllocatable = 0;
        double memoryUsed = 0;
        double memoryAllocatable = 0;
        for (FleetHealth.ClusterHealth h : members) {
            status = status.worst(h.status());
            if (h.cpuUsageCores() != null) {
                cpuUsed += h.cpuUsageCores();
                cpuAllocatable += h.cpuAllocatableCores();
            }
            if (h.memoryUsageBytes() != null) {
                memoryUsed += h.memoryUsageBytes();
                memoryAllocatable += h.memoryAllocatableBytes();
            }
        }
        return new FleetHealth.CloudHealth(
                cloud,
                status,
                members.size(),
                count(members, FleetHealth.Status.healthy),
                count(members, FleetHealth.Status.warning),
                count(members, FleetHealth.Status.critical),
                count(members, FleetHealth.Status.unknown),
                members.stream().mapToInt(FleetHealth.ClusterHealth::nodes).sum(),
                sumKnown(members),
                cpuAllocatable > 0 ? cpuUsed / cpuAllocatable : null,
                memoryAllocatable > 0 ? memoryUsed / memoryAllocatable : null);
    }

    private static int count(List<FleetHealth.ClusterHealth> clusters, FleetHealth.Status status) {
        return (int) clusters.stream().filter(h -> h.status() == status).count();
    }

    private static Integer sumKnown(List<FleetHealth.ClusterHealth> clusters) {
        int sum = 0;
        boolean any = false;
        for (FleetHealth.ClusterHealth h : clusters) {
            if (h.nodesReady() != null) {
                sum += h.nodesReady();
                any = true;
            }
        }
        return any ? sum : null;
    }
}
