package io.meridian.observability.domain;

import io.meridian.contracts.cluster.ClusterPhase;
import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.cost.BudgetEvent;
import io.meridian.contracts.sync.ObjectOutcome;
import io.meridian.contracts.sync.SyncReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes signals and metric selections at one instant from the fleet view and the series store. Metric
 * series carry their scraped labels plus {@code cluster} and {@code cloud}; a series whose newest point is
 * older than the staleness bound no longer counts (as in Prometheus).
 */
public final class FleetSignals {

    /** The scraped metric names the signals are built from (the fleet.metrics.v1 agreement). */
    public static final String NODE_CPU = "node_cpu_usage_cores";

    public static final String NODE_MEMORY = "node_memory_usage_bytes";
    public static final String NODE_CONDITION = "kube_node_status_condition";
    public static final String RESTARTS = "kube_pod_container_status_restarts_total";

    /** Evaluation windows. */
    public record Settings(Duration staleness, Duration crashLoopWindow, Duration budgetEventTtl) {}

    private final FleetView fleet;
    private final SeriesStore store;
    private final Settings settings;

    public FleetSignals(FleetView fleet, SeriesStore store, Settings settings) {
        this.fleet = fleet;
        this.store = store;
        this.settings = settings;
    }

    public List<Observation> signal(Signal signal, Instant now) {
        return switch (signal) {
            case CLUSTER_UNREACHABLE -> clusterUnreachable();
            case NODE_NOT_READY -> nodeNotReady(now);
            case CLUSTER_CPU_SATURATION -> saturation(NODE_CPU, now, true);
            case CLUSTER_MEMORY_SATURATION -> saturation(NODE_MEMORY, now, false);
            case CONTAINER_RESTARTS_INCREASE -> restarts(now);
            case CLUSTER_OPEN_VIOLATIONS -> violations();
            case SYNC_FAILED_OBJECTS -> syncFailures();
            case BUDGET_SPEND_RATIO -> budgets(now, false);
            case BUDGET_FORECAST_RATIO -> budgets(now, true);
            case WORKLOAD_ROLLOUT_HALTED -> rolloutHalted();
            case WORKLOAD_FAILOVER_SUPPRESSED -> failoverSuppressed();
            case WORKLOAD_DEGRADED -> degraded();
        };
    }

    /** The condition label of a failover held back: the clusters it was held back for are unreachable. */
    public static final String UNREACHABLE = "Unreachable";

    /**
     * Every placed workload: 1 with its {@code cluster} and Kubernetes {@code condition} while its rollout stands
     * halted there, else 0.
     */
    private List<Observation> rolloutHalted() {
        List<Observation> out = new ArrayList<>();
        for (WorkloadFacts w : fleet.workloads()) {
            if (!w.placed()) {
                continue;
            }
            out.add(w.halted()
                    .map(h -> new Observation(workloadLabels(w, h.cluster(), h.condition()), 1))
                    .orElseGet(() -> new Observation(workloadLabels(w, null, null), 0)));
        }
        return out;
    }

    /**
     * Every placed workload: 1 for each cluster whose loss its failover was held back for (each alert names a real
     * cluster, so it is found by cluster like any other), else one 0.
     */
    private List<Observation> failoverSuppressed() {
        List<Observation> out = new ArrayList<>();
        for (WorkloadFacts w : fleet.workloads()) {
            if (!w.placed()) {
                continue;
            }
            List<String> clusters = w.suppressedFor();
            if (clusters.isEmpty()) {
                out.add(new Observation(workloadLabels(w, null, null), 0));
            }
            for (String cluster : clusters) {
                out.add(new Observation(workloadLabels(w, cluster, UNREACHABLE), 1));
            }
        }
        return out;
    }

    /**
     * Every placed workload: 1 while it is Degraded, with the subjects of its unmet rules as {@code condition}, once per
     * cluster it was displaced from (once without a cluster when it lost none), else 0.
     */
    private List<Observation> degraded() {
        List<Observation> out = new ArrayList<>();
        for (WorkloadFacts w : fleet.workloads()) {
            if (!w.placed()) {
                continue;
            }
            if (!w.degraded()) {
                out.add(new Observation(workloadLabels(w, null, null), 0));
                continue;
            }
            String condition = String.join(",", w.unmetSubjects());
            List<String> displaced = w.displacedFrom();
            if (displaced.isEmpty()) {
                out.add(new Observation(workloadLabels(w, null, condition), 1));
            }
            for (String cluster : displaced) {
                out.add(new Observation(workloadLabels(w, cluster, condition), 1));
            }
        }
        return out;
    }

    /**
     * The labels of a workload signal: only what the placement facts say, so an alert keeps its fingerprint while the
     * cluster it names comes and goes from the fleet view.
     */
    private static Map<String, String> workloadLabels(WorkloadFacts w, String cluster, String condition) {
        Map<String, String> labels = new TreeMap<>();
        labels.put("workload", w.workload());
        if (cluster != null) {
            labels.put("cluster", cluster);
        }
        if (condition != null) {
            labels.put("condition", condition);
        }
        return labels;
    }

    /** The labels of a cluster every signal about it carries. */
    public static Map<String, String> clusterLabels(ClusterSnapshot c) {
        Map<String, String> labels = new TreeMap<>();
        labels.put("cluster", c.clusterId());
        labels.put("cloud", c.cloud() == null ? "other" : c.cloud().wireName());
        if (c.region() != null) {
            labels.put("region", c.region());
        }
        if (c.environment() != null) {
            labels.put("environment", c.environment());
        }
        return labels;
    }

    private List<Observation> clusterUnreachable() {
        List<Observation> out = new ArrayList<>();
        for (ClusterSnapshot c : fleet.clusters()) {
            out.add(new Observation(clusterLabels(c), c.phase() == ClusterPhase.Unreachable ? 1 : 0));
        }
        return out;
    }

    /** Node readiness per cluster: node name to ready, from the freshest condition series. */
    public Map<String, Boolean> nodeReadiness(String cluster, Instant now, boolean requireFresh) {
        Map<String, Boolean> ready = new TreeMap<>();
        long freshAfter = now.toEpochMilli() - settings.staleness().toMillis();
        for (SeriesStore.SeriesView s : store.select(
                NODE_CONDITION,
                cluster,
                id -> "Ready".equals(id.labels().get("condition"))
                        && "true".equals(id.labels().get("status")),
                true)) {
            var latest = s.latest().orElseThrow();
            if (requireFresh && latest.timeMillis() < freshAfter) {
                continue;
            }
            String node = s.id().labels().get("node");
            if (node != null) {
                ready.put(node, latest.value() >= 1);
            }
        }
        return ready;
    }

    private List<Observation> nodeNotReady(Instant now) {
        List<Observation> out = new ArrayList<>();
        for (ClusterSnapshot c : fleet.clusters()) {
            boolean unreachable = c.phase() == ClusterPhase.Unreachable;
            // While a cluster is unreachable its nodes' readiness is unknown, not "ready": the last known
            // nodes count as not ready (Kubernetes marks Ready=Unknown alike), and inhibition keeps quiet.
            Map<String, Boolean> ready = nodeReadiness(c.clusterId(), now, !unreachable);
            for (Map.Entry<String, Boolean> node : ready.entrySet()) {
                Map<String, String> labels = clusterLabels(c);
                labels.put("node", node.getKey());
                out.add(new Observation(labels, unreachable || !node.getValue() ? 1 : 0));
            }
        }
        return out;
    }

    /** Latest fresh sum of a node metric in a cluster, or null when there is no fresh sample. */
    public Double nodeSum(String metric, String cluster, Instant now) {
        long freshAfter = now.toEpochMilli() - settings.staleness().toMillis();
        double sum = 0;
        boolean any = false;
        for (SeriesStore.SeriesView s : store.select(metric, cluster, id -> true, true)) {
            var latest = s.latest().orElseThrow();
            if (latest.timeMillis() >= freshAfter) {
                sum += latest.value();
                any = true;
            }
        }
        return any ? sum : null;
    }

    private List<Observation> saturation(String metric, Instant now, boolean cpu) {
        List<Observation> out = new ArrayList<>();
        for (ClusterSnapshot c : fleet.clusters()) {
            double allocatable = cpu ? c.allocatableCpuMillis() / 1000.0 : c.allocatableMemoryBytes();
            Double used = nodeSum(metric, c.clusterId(), now);
            if (allocatable > 0 && used != null) {
                out.add(new Observation(clusterLabels(c), used / allocatable));
            }
        }
        return out;
    }

    private static final List<String> CONTAINER_LABELS = List.of("namespace", "pod", "container");

    private List<Observation> restarts(Instant now) {
        List<Observation> out = new ArrayList<>();
        long from = now.toEpochMilli() - settings.crashLoopWindow().toMillis();
        for (ClusterSnapshot c : fleet.clusters()) {
            // The cluster's labels once per cluster, copied per container series (a sorted copy is linear).
            Map<String, String> clusterLabels = clusterLabels(c);
            for (SeriesStore.SeriesView s : freshRestarts(c.clusterId(), now)) {
                Map<String, String> labels = new TreeMap<>(clusterLabels);
                for (String key : CONTAINER_LABELS) {
                    String v = s.id().labels().get(key);
                    if (v != null) {
                        labels.put(key, v);
                    }
                }
                out.add(new Observation(labels, s.increaseSince(from)));
            }
        }
        return out;
    }

    /**
     * Containers whose restarts grew within the crash-loop window, per cluster: the restarts signal counted, without
     * labelling each container's series (health is assessed every 15 s over every container of the fleet).
     */
    public Map<String, Integer> crashLoopingByCluster(Instant now, double minRestarts) {
        Map<String, Integer> out = new HashMap<>();
        long from = now.toEpochMilli() - settings.crashLoopWindow().toMillis();
        for (ClusterSnapshot c : fleet.clusters()) {
            int crashLooping = 0;
            for (SeriesStore.SeriesView s : freshRestarts(c.clusterId(), now)) {
                if (s.increaseSince(from) >= minRestarts) {
                    crashLooping++;
                }
            }
            if (crashLooping > 0) {
                out.put(c.clusterId(), crashLooping);
            }
        }
        return out;
    }

    private List<SeriesStore.SeriesView> freshRestarts(String cluster, Instant now) {
        long freshAfter = now.toEpochMilli() - settings.staleness().toMillis();
        List<SeriesStore.SeriesView> fresh = new ArrayList<>();
        for (SeriesStore.SeriesView s : store.select(RESTARTS, cluster, id -> true)) {
            if (s.latest().orElseThrow().timeMillis() >= freshAfter) {
                fresh.add(s);
            }
        }
        return fresh;
    }

    private List<Observation> violations() {
        Map<String, Long> open = fleet.openViolationsByCluster();
        List<Observation> out = new ArrayList<>();
        for (ClusterSnapshot c : fleet.clusters()) {
            out.add(new Observation(clusterLabels(c), open.getOrDefault(c.clusterId(), 0L)));
        }
        return out;
    }

    private List<Observation> syncFailures() {
        List<Observation> out = new ArrayList<>();
        for (SyncReport r : fleet.syncReports()) {
            long failed = r.outcomes().stream()
                    .filter(o -> o.outcome() == ObjectOutcome.Outcome.Failed
                            || o.outcome() == ObjectOutcome.Outcome.Conflict)
                    .count();
            Map<String, String> labels = fleet.cluster(r.clusterId())
                    .map(FleetSignals::clusterLabels)
                    .orElseGet(() -> new TreeMap<>(Map.of("cluster", r.clusterId())));
            labels.put("owner", r.owner());
            out.add(new Observation(labels, failed));
        }
        return out;
    }

    private List<Observation> budgets(Instant now, boolean forecast) {
        List<Observation> out = new ArrayList<>();
        for (BudgetEvent e : fleet.budgetEvents()) {
            // A budget event is a crossing, not a level: it stands for the TTL unless a newer one replaces it.
            if (e.at().plus(settings.budgetEventTtl()).isBefore(now) || e.amount() <= 0) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            labels.put("budget", e.budgetId());
            labels.put("scope", e.scope());
            labels.put("currency", e.currency() == null ? "" : e.currency());
            out.add(new Observation(labels, (forecast ? e.forecast() : e.spendToDate()) / e.amount()));
        }
        return out;
    }

    /** The fresh series of a scraped metric as observations, with {@code cluster} and {@code cloud} added. */
    public List<Observation> metric(
            String metric, List<LabelMatcher> matchers, boolean increase, Duration range, Instant now) {
        long freshAfter = now.toEpochMilli() - settings.staleness().toMillis();
        long from = now.toEpochMilli() - (range == null ? 0 : range.toMillis());
        List<Observation> out = new ArrayList<>();
        List<SeriesStore.SeriesView> selected = new ArrayList<>();
        for (ClusterSnapshot c : fleet.clusters()) {
            selected.addAll(store.select(metric, c.clusterId(), id -> true, !increase));
        }
        for (SeriesStore.SeriesView s : selected) {
            var latest = s.latest().orElseThrow();
            if (latest.timeMillis() < freshAfter) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>(s.id().labels());
            labels.put("cluster", s.id().cluster());
            fleet.cluster(s.id().cluster())
                    .ifPresent(c -> labels.put("cloud", c.cloud().wireName()));
            if (!LabelMatcher.all(matchers, labels)) {
                continue;
            }
            out.add(new Observation(labels, increase ? s.increaseSince(from) : latest.value()));
        }
        return out;
    }

    /** Groups observations by the given labels and aggregates their values. */
    public static List<Observation> aggregate(List<Observation> in, Aggregation aggregation, List<String> by) {
        if (aggregation == null || aggregation == Aggregation.NONE) {
            return in;
        }
        Map<Map<String, String>, List<Double>> groups = new java.util.LinkedHashMap<>();
        for (Observation o : in) {
            Map<String, String> key = new TreeMap<>();
            for (String label : by) {
                key.put(label, o.labels().getOrDefault(label, ""));
            }
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(o.value());
        }
        List<Observation> out = new ArrayList<>();
        groups.forEach((key, values) -> out.add(new Observation(key, aggregation.apply(values))));
        return out;
    }

    /** Label names that a cluster-scoped signal result may be filtered by. */
    public static Set<String> clusterLabelNames() {
        return new TreeSet<>(List.of("cluster", "cloud", "region", "environment"));
    }
}
