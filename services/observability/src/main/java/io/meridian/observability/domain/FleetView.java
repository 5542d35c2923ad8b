package io.meridian.observability.domain;

import io.meridian.contracts.cluster.ClusterPhase;
import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.compliance.ComplianceResult;
import io.meridian.contracts.cost.BudgetEvent;
import io.meridian.contracts.placement.PlacementFact;
import io.meridian.contracts.placement.PlacementKey;
import io.meridian.contracts.sync.SyncReport;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * What this replica knows of the fleet from the event streams: the latest snapshot of every registered
 * cluster, the open policy violations, the latest sync report per bundle, the latest budget event per
 * budget and the placement facts of every workload. Replaying the streams converges to the same view: older
 * revisions and events never win.
 */
public final class FleetView {

    private final Map<String, ClusterSnapshot> clusters = new ConcurrentHashMap<>();
    private final Map<String, ComplianceResult> openViolations = new ConcurrentHashMap<>();
    private final Map<String, SyncReport> syncs = new ConcurrentHashMap<>();
    private final Map<String, BudgetEvent> budgets = new ConcurrentHashMap<>();
    private final Map<String, WorkloadFacts> workloads = new ConcurrentHashMap<>();

    /** Keeps a snapshot unless a newer revision is known; a deregistration removes the cluster. */
    public void cluster(ClusterSnapshot snapshot) {
        if (snapshot.phase() == ClusterPhase.Deregistered) {
            clusters.remove(snapshot.clusterId());
            return;
        }
        clusters.merge(
                snapshot.clusterId(), snapshot, (old, fresh) -> fresh.revision() >= old.revision() ? fresh : old);
    }

    public void forgetCluster(String clusterId) {
        clusters.remove(clusterId);
        openViolations.values().removeIf(v -> clusterId.equals(v.clusterId()));
        syncs.values().removeIf(s -> clusterId.equals(s.clusterId()));
    }

    public void violation(String key, ComplianceResult result) {
        if (result == null || result.state() == ComplianceResult.State.Closed) {
            openViolations.remove(key);
        } else {
            openViolations.merge(
                    key, result, (old, fresh) -> fresh.evaluatedAt().isBefore(old.evaluatedAt()) ? old : fresh);
        }
    }

    public void sync(String key, SyncReport report) {
        if (report == null) {
            syncs.remove(key);
        } else {
            syncs.merge(key, report, (old, fresh) -> fresh.reportedAt().isBefore(old.reportedAt()) ? old : fresh);
        }
    }

    public void budget(BudgetEvent event) {
        budgets.merge(event.budgetId(), event, (old, fresh) -> fresh.at().isBefore(old.at()) ? old : fresh);
    }

    /**
     * Keeps a placement fact as the latest of its key. The records of one key arrive in the order placement
     * published them (one key, one partition), so the last one read is the latest; no timestamp of placement's
     * replicas is needed to tell.
     */
    public void placement(PlacementFact fact) {
        workloads.compute(fact.workload(), (w, known) -> (known == null ? WorkloadFacts.none(w) : known).with(fact));
    }

    /** Forgets the fact of a placement key (its tombstone); a workload with no fact left is forgotten. */
    public void placementRemoved(PlacementKey key) {
        workloads.computeIfPresent(key.workload(), (w, known) -> {
            WorkloadFacts left = known.without(key.aspect());
            return left.isEmpty() ? null : left;
        });
    }

    /** The placement facts of every workload, by name. */
    public List<WorkloadFacts> workloads() {
        return workloads.values().stream()
                .sorted(java.util.Comparator.comparing(WorkloadFacts::workload))
                .toList();
    }

    public List<ClusterSnapshot> clusters() {
        return clusters.values().stream()
                .sorted(java.util.Comparator.comparing(ClusterSnapshot::clusterId))
                .toList();
    }

    public Optional<ClusterSnapshot> cluster(String clusterId) {
        return Optional.ofNullable(clusters.get(clusterId));
    }

    /** Open violations per cluster, for every cluster that has any. */
    public Map<String, Long> openViolationsByCluster() {
        return openViolations.values().stream()
                .collect(Collectors.groupingBy(ComplianceResult::clusterId, TreeMap::new, Collectors.counting()));
    }

    public List<SyncReport> syncReports() {
        return List.copyOf(syncs.values());
    }

    public List<BudgetEvent> budgetEvents() {
        return List.copyOf(budgets.values());
    }
}
