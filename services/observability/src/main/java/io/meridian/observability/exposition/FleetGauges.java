package io.meridian.observability.exposition;

import io.meridian.contracts.alert.AlertEvent;
import io.meridian.observability.domain.Alert;
import io.meridian.observability.domain.FleetHealth;
import io.meridian.observability.domain.HealthAssessor;
import io.meridian.observability.persistence.AlertStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Publishes the fleet's key figures as Prometheus series on {@code /q/metrics}, labelled by cloud and
 * cluster: clusters by phase, nodes and ready nodes, CPU and memory usage and saturation, firing alerts.
 * Rows of clusters that left the fleet disappear on the next refresh.
 */
@ApplicationScoped
public class FleetGauges {

    private final HealthAssessor health;
    private final AlertStore alerts;
    private final Clock clock;
    private final MultiGauge clustersByPhase;
    private final MultiGauge nodes;
    private final MultiGauge nodesReady;
    private final MultiGauge cpuUsage;
    private final MultiGauge cpuSaturation;
    private final MultiGauge memoryUsage;
    private final MultiGauge memorySaturation;
    private final MultiGauge crashLooping;
    private final MultiGauge healthStatus;
    private final MultiGauge firing;

    FleetGauges(HealthAssessor health, AlertStore alerts, Clock clock, MeterRegistry registry) {
        this.health = health;
        this.alerts = alerts;
        this.clock = clock;
        clustersByPhase = gauge(registry, "meridian.fleet.clusters", "Registered clusters by cloud and phase");
        nodes = gauge(registry, "meridian.fleet.cluster.nodes", "Nodes of a cluster");
        nodesReady = gauge(registry, "meridian.fleet.cluster.nodes.ready", "Ready nodes of a cluster");
        cpuUsage = gauge(registry, "meridian.fleet.cluster.cpu.usage.cores", "CPU cores in use on a cluster's nodes");
        cpuSaturation = gauge(
                registry,
                "meridian.fleet.cluster.cpu.saturation",
                "CPU in use over allocatable CPU of a cluster (0-1)");
        memoryUsage =
                gauge(registry, "meridian.fleet.cluster.memory.usage.bytes", "Memory in use on a cluster's nodes");
        memorySaturation = gauge(
                registry,
                "meridian.fleet.cluster.memory.saturation",
                "Memory in use over allocatable memory of a cluster (0-1)");
        crashLooping = gauge(
                registry,
                "meridian.fleet.cluster.crashlooping.containers",
                "Containers of a cluster whose restarts grew within the crash-loop window");
        healthStatus = gauge(
                registry,
                "meridian.fleet.cluster.health",
                "1 for the cluster's current health status (healthy, unknown, warning, critical)");
        firing = gauge(registry, "meridian.fleet.alerts.firing", "Firing alerts by alert name, severity and cluster");
    }

    private static MultiGauge gauge(MeterRegistry registry, String name, String description) {
        return MultiGauge.builder(name).description(description).register(registry);
    }

    @Scheduled(every = "15s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return alerts.list(new AlertStore.Filter("firing", null, null, null, null), 10_000)
                .invoke(this::update)
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    void update(List<Alert> firingAlerts) {
        FleetHealth fleet = health.assess(clock.instant(), firingAlerts.size());
        Map<Tags, Integer> phases = new TreeMap<>(java.util.Comparator.comparing(Tags::toString));
        for (FleetHealth.ClusterHealth c : fleet.clusters()) {
            phases.merge(Tags.of("cloud", c.cloud(), "phase", c.phase()), 1, Integer::sum);
        }
        List<MultiGauge.Row<?>> phaseRows = new ArrayList<>();
        phases.forEach((tags, count) -> phaseRows.add(MultiGauge.Row.of(tags, count)));
        clustersByPhase.register(phaseRows, true);
        nodes.register(rows(fleet, c -> c.nodes()), true);
        nodesReady.register(rows(fleet, c -> c.nodesReady() == null ? Double.NaN : c.nodesReady()), true);
        cpuUsage.register(rows(fleet, c -> c.cpuUsageCores() == null ? Double.NaN : c.cpuUsageCores()), true);
        cpuSaturation.register(rows(fleet, c -> c.cpuSaturation() == null ? Double.NaN : c.cpuSaturation()), true);
        memoryUsage.register(rows(fleet, c -> c.memoryUsageBytes() == null ? Double.NaN : c.memoryUsageBytes()), true);
        memorySaturation.register(
                rows(fleet, c -> c.memorySaturation() == null ? Double.NaN : c.memorySaturation()), true);
        crashLooping.register(rows(fleet, c -> c.crashLoopingContainers()), true);
        List<MultiGauge.Row<?>> statusRows = new ArrayList<>();
        for (FleetHealth.ClusterHealth c : fleet.clusters()) {
            for (FleetHealth.Status s : FleetHealth.Status.values()) {
                statusRows.add(MultiGauge.Row.of(
                        Tags.of("cloud", c.cloud(), "cluster", c.cluster(), "status", s.name()),
                        c.status() == s ? 1 : 0));
            }
        }
        healthStatus.register(statusRows, true);
        Map<Tags, Integer> firingCounts = new TreeMap<>(java.util.Comparator.comparing(Tags::toString));
        for (Alert a : firingAlerts) {
            if (a.state() == AlertEvent.State.FIRING) {
                firingCounts.merge(
                        Tags.of(
                                "alertname",
                                a.rule(),
                                "severity",
                                a.severity(),
                                "cluster",
                                a.clusterId() == null ? "" : a.clusterId()),
                        1,
                        Integer::sum);
            }
        }
        List<MultiGauge.Row<?>> firingRows = new ArrayList<>();
        firingCounts.forEach((tags, count) -> firingRows.add(MultiGauge.Row.of(tags, count)));
        firing.register(firingRows, true);
    }

    private static List<MultiGauge.Row<?>> rows(FleetHealth fleet, ToDoubleFunction<FleetHealth.ClusterHealth> value) {
        List<MultiGauge.Row<?>> out = new ArrayList<>();
        for (FleetHealth.ClusterHealth c : fleet.clusters()) {
            double v = value.applyAsDouble(c);
            if (!Double.isNaN(v)) {
                out.add(MultiGauge.Row.of(Tags.of("cloud", c.cloud(), "cluster", c.cluster()), v));
            }
        }
        return out;
    }
}
