package io.meridian.cost.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.contracts.cost.CostSummary;
import io.meridian.cost.domain.Aggregation;
import io.meridian.cost.domain.Allocation;
import io.meridian.cost.domain.ClusterAssets;
import io.meridian.cost.domain.CostTotals;
import io.meridian.cost.domain.TrafficCost;
import io.meridian.cost.domain.WindowAllocation;
import io.meridian.eventing.audit.AuditTrail;
import io.meridian.eventing.outbox.Outbox;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Closed windows: each is written once (the window row decides), with its allocations, assets, traffic, the cost
 * summaries it publishes on {@code fleet.cost.v1} and its audit record, all in one transaction.
 */
@ApplicationScoped
public class AllocationStore {

    private static final ObjectMapper JSON = EventJson.mapper();
    private static final int CHUNK = 2_000;

    private final Mutiny.SessionFactory sessions;
    private final Outbox outbox;
    private final AuditTrail audit;
    private final Clock clock;

    AllocationStore(Mutiny.SessionFactory sessions, Outbox outbox, AuditTrail audit, Clock clock) {
        this.sessions = sessions;
        this.outbox = outbox;
        this.audit = audit;
        this.clock = clock;
    }

    /** Persists a closed window and its summaries; false when the window was already persisted. */
    public Uni<Boolean> saveWindow(WindowAllocation window, List<CostSummary> summaries) {
        return sessions.withTransaction(session -> session.createNativeQuery(
                        "INSERT INTO cost_window (window_start, window_end, clusters, asset_total, computed_at)"
                                + " VALUES (:start, :end, :clusters, :total, :at) ON CONFLICT DO NOTHING")
                .setParameter("start", utc(window.start()))
                .setParameter("end", utc(window.end()))
                .setParameter("clusters", window.assets().size())
                .setParameter("total", window.assetTotal())
                .setParameter("at", OffsetDateTime.now(clock))
                .executeUpdate()
                .chain(inserted -> inserted == 0
                        ? Uni.createFrom().item(false)
                        : writeWindow(session, window, summaries).replaceWith(true)));
    }

    private Uni<Void> writeWindow(Mutiny.Session session, WindowAllocation window, List<CostSummary> summaries) {
        List<Map<String, Object>> rows = new ArrayList<>(window.allocations().size());
        for (Allocation a : window.allocations()) {
            Map<String, Object> row = new HashMap<>();
            row.put("cluster", a.cluster());
            row.put("cloud", a.cloud());
            row.put("region", a.region());
            row.put("namespace", a.namespace());
            row.put("pod", a.pod());
            row.put("workload_kind", a.workloadKind());
            row.put("workload_name", a.workloadName() == null ? a.pod() : a.workloadName());
            row.put("labels", a.labels());
            row.put("cpu_cost", a.cpuCost());
            row.put("ram_cost", a.ramCost());
            row.put("gpu_cost", a.gpuCost());
            row.put("pv_cost", a.pvCost());
            row.put("network_cost", a.networkCost());
            row.put("shared_cost", a.sharedCost());
            row.put("idle", a.idle());
            row.put("total_cost", a.totalCost());
            rows.add(row);
        }
        List<Map<String, Object>> assets = new ArrayList<>();
        for (ClusterAssets a : window.assets()) {
            assets.add(Map.of(
                    "cluster", a.cluster(),
                    "cloud", a.cloud(),
                    "nodes", a.nodes(),
                    "cpu_cost", a.cpuCost(),
                    "ram_cost", a.ramCost(),
                    "gpu_cost", a.gpuCost(),
                    "pv_cost", a.pvCost(),
                    "network_cost", a.networkCost()));
        }
        List<Map<String, Object>> traffic = new ArrayList<>();
        for (TrafficCost t : window.traffic()) {
            Map<String, Object> row = new HashMap<>();
            row.put("source_cluster", t.flow().sourceCluster());
            row.put("source_namespace", t.flow().sourceNamespace());
            row.put("source_workload", t.flow().sourceWorkload());
            row.put("destination_cluster", t.flow().destinationCluster());
            row.put("destination_namespace", t.flow().destinationNamespace());
            row.put("destination_workload", t.flow().destinationWorkload());
            row.put("crossing", t.crossing().name());
            row.put("bytes", t.flow().bytes());
            row.put("cost", t.cost());
            traffic.add(row);
        }
        OffsetDateTime start = utc(window.start());
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int i = 0; i < rows.size(); i += CHUNK) {
            List<Map<String, Object>> chunk = rows.subList(i, Math.min(rows.size(), i + CHUNK));
            chain = chain.chain(() -> session.createNativeQuery("INSERT INTO allocation (window_start, cluster, cloud,"
                            + " region, namespace, pod, workload_kind, workload_name, labels, cpu_cost, ram_cost,"
                            + " gpu_cost, pv_cost, network_cost, shared_cost, idle, total_cost)"
                            + " SELECT :start, r.cluster, r.cloud, r.region, r.namespace, r.pod, r.workload_kind,"
                            + " r.workload_name, COALESCE(r.labels, '{}'::jsonb), r.cpu_cost, r.ram_cost,"
                            + " r.gpu_cost, r.pv_cost, r.network_cost, r.shared_cost, r.idle, r.total_cost"
                            + " FROM jsonb_to_recordset(CAST(CAST(:rows AS text) AS jsonb)) AS r(cluster text, cloud text,"
                            + " region text, namespace text, pod text, workload_kind text, workload_name text,"
                            + " labels jsonb, cpu_cost float8, ram_cost float8, gpu_cost float8, pv_cost float8,"
                            + " network_cost float8, shared_cost float8, idle boolean, total_cost float8)"
                            + " ON CONFLICT DO NOTHING")
                    .setParameter("start", start)
                    .setParameter("rows", json(chunk))
                    .executeUpdate()
                    .replaceWithVoid());
        }
        return chain.chain(() -> session.createNativeQuery("INSERT INTO cluster_asset (window_start, cluster, cloud,"
                                + " nodes, cpu_cost, ram_cost, gpu_cost, pv_cost, network_cost) SELECT :start,"
                                + " r.cluster, r.cloud, r.nodes, r.cpu_cost, r.ram_cost, r.gpu_cost, r.pv_cost,"
                                + " r.network_cost FROM jsonb_to_recordset(CAST(CAST(:rows AS text) AS jsonb)) AS r(cluster text,"
                                + " cloud text, nodes int, cpu_cost float8, ram_cost float8, gpu_cost float8,"
                                + " pv_cost float8, network_cost float8)")
                        .setParameter("start", start)
                        .setParameter("rows", json(assets))
                        .executeUpdate())
                .chain(() -> traffic.isEmpty()
                        ? Uni.createFrom().item(0)
                        : session.createNativeQuery("INSERT INTO traffic (window_start, source_cluster,"
                                        + " source_namespace, source_workload, destination_cluster,"
                                        + " destination_namespace, destination_workload, crossing, bytes, cost)"
                                        + " SELECT :start, r.source_cluster, r.source_namespace, r.source_workload,"
                                        + " r.destination_cluster, r.destination_namespace, r.destination_workload,"
                                        + " r.crossing, r.bytes, r.cost FROM jsonb_to_recordset(CAST(CAST(:rows AS text) AS jsonb))"
                                        + " AS r(source_cluster text, source_namespace text, source_workload text,"
                                        + " destination_cluster text, destination_namespace text,"
                                        + " destination_workload text, crossing text, bytes float8, cost float8)"
                                        + " ON CONFLICT DO NOTHING")
                                .setParameter("start", start)
                                .setParameter("rows", json(traffic))
                                .executeUpdate())
                .chain(() -> Multi.createFrom()
                        .iterable(summaries)
                        .onItem()
                        .transformToUniAndConcatenate(
                                s -> outbox.append(session, EventType.COST_SUMMARY_COMPUTED, s.key(), s.scope(), s))
                        .collect()
                        .last())
                .chain(() -> audit.recordAs(
                        session,
                        audit.serviceActor(),
                        "cost.window.allocated",
                        new AuditRecord.Target("CostWindow", window.start().toString(), null),
                        AuditRecord.Outcome.success,
                        Map.of(
                                "clusters", Integer.toString(window.assets().size()),
                                "allocations", Integer.toString(rows.size()),
                                "assetTotal", String.format(java.util.Locale.ROOT, "%.6f", window.assetTotal()))))
                .replaceWithVoid();
    }

    /** The first persisted window at or after {@code from}, if any. */
    public Uni<java.util.Optional<Instant>> firstWindow(Instant from) {
        return sessions.withSession(session -> session.createNativeQuery(
                                "SELECT MIN(window_start) FROM cost_window WHERE window_start >= :from", Object.class)
                        .setParameter("from", utc(from))
                        .getSingleResult())
                .map(first -> java.util.Optional.ofNullable(first).map(BudgetStore::instant));
    }

    /** Which of the hour starts in {@code [from, to)} are persisted. */
    public Uni<Set<Instant>> persistedWindows(Instant from, Instant to) {
        return sessions.withSession(session -> session.createNativeQuery(
                                "SELECT window_start FROM cost_window WHERE window_start >= :from AND window_start < :to",
                                Object.class)
                        .setParameter("from", utc(from))
                        .setParameter("to", utc(to))
                        .getResultList())
                .map(list -> {
                    Set<Instant> out = new TreeSet<>();
                    list.forEach(t -> out.add(BudgetStore.instant(t)));
                    return out;
                });
    }

    /** Sums persisted allocations of windows in {@code [from, to)} per group. */
    public Uni<Map<String, CostTotals>> aggregate(Instant from, Instant to, Aggregation by) {
        String key = switch (by) {
            case Aggregation.ByCloud c -> "cloud";
            case Aggregation.ByCluster c -> "cluster";
            case Aggregation.ByNamespace n -> "CASE WHEN idle THEN '" + Allocation.IDLE + "' ELSE namespace END";
            case Aggregation.ByWorkload w ->
                "CASE WHEN idle THEN '" + Allocation.IDLE
                        + "' ELSE namespace || '/' || COALESCE(workload_kind, '') || '/' || workload_name END";
            case Aggregation.ByLabel l ->
                "CASE WHEN idle THEN '" + Allocation.IDLE + "' ELSE COALESCE(labels ->> :label, '"
                        + Aggregation.UNALLOCATED + "') END";
        };
        return sessions.withSession(session -> {
                    Mutiny.SelectionQuery<Object[]> query = session.createNativeQuery(
                                    "SELECT " + key
                                            + " AS k, SUM(cpu_cost), SUM(ram_cost), SUM(gpu_cost), SUM(pv_cost),"
                                            + " SUM(network_cost), SUM(shared_cost),"
                                            + " SUM(CASE WHEN idle THEN total_cost ELSE 0 END), SUM(total_cost)"
                                            + " FROM allocation WHERE window_start >= :from AND window_start < :to"
                                            + " GROUP BY k",
                                    Object[].class)
                            .setParameter("from", utc(from))
                            .setParameter("to", utc(to));
                    if (by instanceof Aggregation.ByLabel label) {
                        query.setParameter("label", label.key());
                    }
                    return query.getResultList();
                })
                .map(rows -> {
                    Map<String, CostTotals> out = new LinkedHashMap<>();
                    for (Object[] r : rows) {
                        out.put(
                                (String) r[0],
                                new CostTotals(d(r[1]), d(r[2]), d(r[3]), d(r[4]), d(r[5]), d(r[6]), d(r[7]), d(r[8])));
                    }
                    return out;
                });
    }

    /** Asset totals of persisted windows in {@code [from, to)}. */
    public Uni<Double> assetTotal(Instant from, Instant to) {
        return sessions.withSession(session -> session.createNativeQuery(
                                "SELECT COALESCE(SUM(cpu_cost + ram_cost + gpu_cost + pv_cost + network_cost), 0)"
                                        + " FROM cluster_asset WHERE window_start >= :from AND window_start < :to",
                                Object.class)
                        .setParameter("from", utc(from))
                        .setParameter("to", utc(to))
                        .getSingleResult())
                .map(AllocationStore::d);
    }

    /** GB a cluster sent to other clouds in persisted windows of {@code [from, to)}: where its egress tier is. */
    public Uni<Map<String, Double>> crossCloudGB(Instant from, Instant to) {
        return sessions.withSession(session -> session.createNativeQuery(
                                "SELECT source_cluster, SUM(bytes) / 1e9 FROM traffic WHERE crossing = 'cloud'"
                                        + " AND window_start >= :from AND window_start < :to GROUP BY source_cluster",
                                Object[].class)
                        .setParameter("from", utc(from))
                        .setParameter("to", utc(to))
                        .getResultList())
                .map(rows -> {
                    Map<String, Double> out = new HashMap<>();
                    rows.forEach(r -> out.put((String) r[0], d(r[1])));
                    return out;
                });
    }

    /**
     * Spend of a budget scope in persisted windows of {@code [from, to)}: {@code cluster:<name>}, {@code cloud:<name>}
     * (idle included, the scope owns it) or {@code label:<key>=<value>} (its workloads' cost).
     */
    public Uni<Double> spend(String scope, Instant from, Instant to) {
        String[] parts = scope.split(":", 2);
        String condition;
        Map<String, Object> params = new HashMap<>();
        switch (parts[0]) {
            case "cluster" -> {
                condition = "cluster = :v";
                params.put("v", parts[1]);
            }
            case "cloud" -> {
                condition = "cloud = :v";
                params.put("v", parts[1]);
            }
            default -> {
                String[] kv = parts[1].split("=", 2);
                condition = "NOT idle AND labels ->> :k = :v";
                params.put("k", kv[0]);
                params.put("v", kv.length > 1 ? kv[1] : "");
            }
        }
        return sessions.withSession(session -> {
                    Mutiny.SelectionQuery<Object> query = session.createNativeQuery(
                                    "SELECT COALESCE(SUM(total_cost), 0) FROM allocation WHERE " + condition
                                            + " AND window_start >= :from AND window_start < :to",
                                    Object.class)
                            .setParameter("from", utc(from))
                            .setParameter("to", utc(to));
                    params.forEach(query::setParameter);
                    return query.getSingleResult();
                })
                .map(AllocationStore::d);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write allocation rows", e);
        }
    }

    static double d(Object value) {
        return value == null ? 0 : ((Number) value).doubleValue();
    }

    static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
