package io.meridian.placement.persistence;

import io.meridian.contracts.EventJson;
import io.meridian.contracts.sync.SyncReport;
import io.meridian.eventing.desired.Declaration;
import io.meridian.eventing.desired.DesiredBundleDeclarer;
import io.meridian.eventing.desired.WantedBundle;
import io.meridian.eventing.sql.MultiRowValues;
import io.meridian.placement.domain.Workload;
import io.meridian.placement.domain.WorkloadSync;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Placement's bundles, one per cluster holding every workload placed there (ADR 9), declared through the fleet's
 * {@link DesiredBundleDeclarer}; with each declaration, which workload generation the bundle carries, so that
 * inventory's reports on {@code fleet.sync.v1}, which name bundle generations, tell which workload generation a
 * cluster applied.
 */
@ApplicationScoped
public class DesiredBundleStore {

    /** The owner name inventory stamps on everything placement asks for: {@code placement/<clusterId>}. */
    public static final String OWNER = "placement";

    private static final String UPSERT = "INSERT INTO workload_cluster (workload, cluster_id, declared_generation,"
            + " bundle_generation, applied_generation, objects, bundle_bytes) VALUES %s"
            + " ON CONFLICT (workload, cluster_id) DO UPDATE SET"
            // The first bundle that carried a workload generation stays its bundle: a later bundle that changed only
            // other workloads carries it too, and a report of either means it was applied.
            + " bundle_generation = CASE WHEN workload_cluster.declared_generation = EXCLUDED.declared_generation"
            + " THEN workload_cluster.bundle_generation ELSE EXCLUDED.bundle_generation END,"
            + " declared_generation = EXCLUDED.declared_generation,"
            + " objects = EXCLUDED.objects, bundle_bytes = EXCLUDED.bundle_bytes";
    private static final String UPSERT_ROW = "(:workload#, :cluster#, :declared#, :bundle#, 0, :objects#, :bytes#)";

    private static final String SAVE_STATES = "UPDATE workload_cluster AS c SET applied_generation = v.applied,"
            + " failed_generation = v.failed_generation, failed_object = v.failed_object,"
            + " failed_outcome = v.failed_outcome, failed_reason = v.failed_reason FROM (VALUES %s) AS v(cluster_id,"
            + " workload, applied, failed_generation, failed_object, failed_outcome, failed_reason)"
            + " WHERE c.cluster_id = v.cluster_id AND c.workload = v.workload";
    // A null has no type of its own in VALUES: each column says what it is.
    private static final String SAVE_STATES_ROW = "(CAST(:cluster# AS TEXT), CAST(:workload# AS TEXT),"
            + " CAST(:applied# AS BIGINT), CAST(:failedGeneration# AS BIGINT), CAST(:failedObject# AS TEXT),"
            + " CAST(:failedOutcome# AS TEXT), CAST(:failedReason# AS TEXT))";

    /**
     * What placement wants on one cluster: the rendered objects of every workload placed there, and the generation
     * of each of those workloads. No workloads means nothing is wanted: the bundle there is withdrawn.
     */
    public record ClusterBundle(
            String clusterId, List<Map<String, Object>> objects, Map<String, Long> workloadGenerations) {

        public ClusterBundle {
            Objects.requireNonNull(clusterId, "clusterId");
            // Manifests may hold null values, so only the list is copied.
            objects = objects == null ? List.of() : List.copyOf(objects);
            workloadGenerations = workloadGenerations == null ? Map.of() : Map.copyOf(workloadGenerations);
        }
    }

    private final Mutiny.SessionFactory sessions;
    private final DesiredBundleDeclarer declarer;

    DesiredBundleStore(Mutiny.SessionFactory sessions, DesiredBundleDeclarer declarer) {
        this.sessions = sessions;
        this.declarer = declarer;
    }

    /** Declares the bundles in a transaction of their own; see {@link #declare(Mutiny.Session, List)}. */
    public Uni<List<Declaration>> declare(List<ClusterBundle> bundles) {
        return sessions.withTransaction(s -> declare(s, bundles));
    }

    /**
     * Declares the bundles of many clusters inside the caller's transaction (a new generation only where the content
     * changed, a tombstone where nothing is wanted) and records which workload generations each carries; the
     * results come in the order of {@code bundles}.
     */
    public Uni<List<Declaration>> declare(Mutiny.Session session, List<ClusterBundle> bundles) {
        List<WantedBundle> wanted = bundles.stream()
                .map(b -> WantedBundle.of(b.clusterId(), b.objects()))
                .toList();
        return declarer.declareAll(session, OWNER, wanted)
                .call(declarations -> remember(session, bundles, declarations));
    }

    /** Withdraws the bundle of a cluster that left the fleet and forgets what it carried. */
    public Uni<Declaration> retract(Mutiny.Session session, String clusterId) {
        return declare(session, List.of(new ClusterBundle(clusterId, List.of(), Map.of())))
                .map(List::getFirst);
    }

    /**
     * Inventory's reports of clusters' bundles, in the order they came, read per workload ({@link WorkloadSync}): each
     * workload whose own objects applied counts as applied at the generation it carries, whatever the others' objects
     * did, and a workload whose object failed keeps that failure. The rows of all the reports' clusters are read and
     * locked in one statement and the changed ones written in another, so that the 100 reports a change of 100
     * clusters brings back cost two statements rather than 200. Returns, for each report, the state of every workload
     * on its cluster after it.
     */
    public Uni<List<Map<String, WorkloadSync.State>>> reported(Mutiny.Session session, List<SyncReport> reports) {
        if (reports.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<String> clusters =
                Slices.sorted(reports.stream().map(SyncReport::clusterId).toList());
        // Locked in the order of the key, as a declaration locks them first (lockRows): the two cannot deadlock.
        var read = session.createNativeQuery(
                "SELECT workload, declared_generation, bundle_generation, applied_generation, objects,"
                        + " failed_generation, failed_object, failed_outcome, failed_reason, cluster_id"
                        + " FROM workload_cluster WHERE cluster_id IN ("
                        + Slices.parameters("cluster", clusters.size())
                        + ") ORDER BY cluster_id COLLATE \"C\", workload COLLATE \"C\" FOR UPDATE",
                Object[].class);
        Slices.bind(read::setParameter, "cluster", clusters);
        return read.getResultList().chain(rows -> {
            Map<String, Map<String, WorkloadSync.Carried>> byCluster = new HashMap<>();
            for (Object[] row : rows) {
                WorkloadSync.Carried c = carried(row);
                byCluster.computeIfAbsent((String) row[9], k -> new TreeMap<>()).put(c.workload(), c);
            }
            Map<String, Map<String, WorkloadSync.Carried>> stored = new HashMap<>();
            byCluster.forEach((cluster, carried) -> stored.put(cluster, Map.copyOf(carried)));
            List<Map<String, WorkloadSync.State>> states = new ArrayList<>();
            for (SyncReport report : reports) {
                Map<String, WorkloadSync.Carried> carried = byCluster.getOrDefault(report.clusterId(), new TreeMap<>());
                Map<String, WorkloadSync.State> after = WorkloadSync.read(report, List.copyOf(carried.values()));
                after.forEach((workload, state) -> carried.computeIfPresent(workload, (w, c) -> c.after(state)));
                states.add(after);
            }
            List<SavedState> changed = new ArrayList<>();
            byCluster.forEach((cluster, carried) -> carried.forEach((workload, c) -> {
                WorkloadSync.Carried before = stored.get(cluster).get(workload);
                if (c.appliedGeneration() != before.appliedGeneration()
                        || !Objects.equals(c.failure(), before.failure())) {
                    changed.add(new SavedState(cluster, workload, c));
                }
            }));
            return save(session, changed).replaceWith(states);
        });
    }

    /** A workload's row on a cluster as a report left it. */
    private record SavedState(String clusterId, String workload, WorkloadSync.Carried carried) {}

    private static WorkloadSync.Carried carried(Object[] row) {
        String objects = (String) row[4];
        WorkloadSync.ApplyFailure failure = row[5] == null
                ? null
                : new WorkloadSync.ApplyFailure(
                        ((Number) row[5]).longValue(), (String) row[6], (String) row[7], (String) row[8]);
        return new WorkloadSync.Carried(
                (String) row[0],
                ((Number) row[1]).longValue(),
                ((Number) row[2]).longValue(),
                ((Number) row[3]).longValue(),
                objects == null || objects.isEmpty() ? Set.of() : Set.of(objects.split("\n")),
                failure);
    }

    private static Uni<Void> save(Mutiny.Session session, List<SavedState> states) {
        return Slices.each(states, slice -> {
            Mutiny.Query<?> query =
                    session.createNativeQuery(SAVE_STATES.formatted(MultiRowValues.of(SAVE_STATES_ROW, slice.size())));
            for (int i = 0; i < slice.size(); i++) {
                SavedState row = slice.get(i);
                WorkloadSync.ApplyFailure f = row.carried().failure();
                query.setParameter("cluster" + i, row.clusterId())
                        .setParameter("workload" + i, row.workload())
                        .setParameter("applied" + i, row.carried().appliedGeneration())
                        .setParameter("failedGeneration" + i, f == null ? null : f.generation())
                        .setParameter("failedObject" + i, f == null ? null : f.object())
                        .setParameter("failedOutcome" + i, f == null ? null : f.outcome())
                        .setParameter("failedReason" + i, f == null ? null : f.reason());
            }
            return query.executeUpdate();
        });
    }

    /**
     * What inventory reported of a workload on the clusters its bundles carry it to.
     *
     * @param applied the workload generation applied on each cluster the workload is declared to (0: none yet)
     * @param failures the object of the workload that inventory last could not apply on each cluster, at the
     *     generation the cluster's bundle carries now; clusters without such a failure are absent
     */
    public record Reported(Map<String, Long> applied, Map<String, WorkloadSync.ApplyFailure> failures) {}

    /** What inventory reported of a workload on each of its clusters, in one statement. */
    public Uni<Reported> reportedOf(Mutiny.Session session, String workload) {
        return session.createNativeQuery(
                        "SELECT cluster_id, applied_generation, failed_generation = declared_generation,"
                                + " failed_generation, failed_object, failed_outcome, failed_reason"
                                + " FROM workload_cluster WHERE workload = :workload",
                        Object[].class)
                .setParameter("workload", workload)
                .getResultList()
                .map(rows -> {
                    Map<String, Long> applied = new HashMap<>();
                    Map<String, WorkloadSync.ApplyFailure> failures = new HashMap<>();
                    for (Object[] r : rows) {
                        applied.put((String) r[0], ((Number) r[1]).longValue());
                        if (Boolean.TRUE.equals(r[2])) {
                            failures.put(
                                    (String) r[0],
                                    new WorkloadSync.ApplyFailure(
                                            ((Number) r[3]).longValue(), (String) r[4], (String) r[5], (String) r[6]));
                        }
                    }
                    return new Reported(applied, failures);
                });
    }

    /**
     * The bytes in each cluster's bundle (as JSON, uncompressed), read in one query for a reconcile of {@code
     * workload}.
     *
     * @param others by cluster, what the other workloads' objects take: what is left of the bundle budget for it
     *     (clusters whose bundle carries no other workload are absent)
     * @param held by cluster, what {@code workload}'s own objects take now: a workload already in a bundle is judged
     *     by what it holds there (clusters whose bundle does not carry it are absent)
     */
    public record BundleBytes(Map<String, Long> others, Map<String, Long> held) {}

    /**
     * The bytes of the other workloads and of {@code workload} itself in each cluster's bundle: one row per cluster
     * (the size kept with each declaration), whatever the number of workloads.
     */
    public Uni<BundleBytes> bundleBytes(Mutiny.Session session, String workload) {
        return session.createNativeQuery(
                        "SELECT b.cluster_id, b.bundle_bytes - COALESCE(w.bundle_bytes, 0), COALESCE(w.bundle_bytes, 0)"
                                + " FROM bundle_size b LEFT JOIN workload_cluster w"
                                + " ON w.cluster_id = b.cluster_id AND w.workload = :workload",
                        Object[].class)
                .setParameter("workload", workload)
                .getResultList()
                .map(rows -> {
                    Map<String, Long> others = new HashMap<>();
                    Map<String, Long> held = new HashMap<>();
                    for (Object[] r : rows) {
                        putPositive(others, (String) r[0], ((Number) r[1]).longValue());
                        putPositive(held, (String) r[0], ((Number) r[2]).longValue());
                    }
                    return new BundleBytes(others, held);
                });
    }

    private static void putPositive(Map<String, Long> bytes, String clusterId, long value) {
        if (value > 0) {
            bytes.put(clusterId, value);
        }
    }

    /** {@code workload}'s own objects in {@code bundle}. */
    public static List<Map<String, Object>> objectsOf(ClusterBundle bundle, String workload) {
        return bundle.objects().stream()
                .filter(o -> workload.equals(workloadOf(o)))
                .toList();
    }

    /** The bytes of {@code objects} as placement's bundle carries them: JSON, UTF-8, uncompressed. */
    public static long bytesOf(List<Map<String, Object>> objects) {
        return EventJson.write(objects).length;
    }

    /**
     * One workload generation carried to a cluster by a bundle generation, with the references of its objects there
     * (one a line) and their bytes.
     */
    private record Carried(
            String workload,
            String clusterId,
            long workloadGeneration,
            long bundleGeneration,
            String objects,
            long bytes) {}

    private Uni<Void> remember(Mutiny.Session session, List<ClusterBundle> bundles, List<Declaration> declarations) {
        // A workload no longer in the cluster's bundle is no longer declared there, whatever was applied.
        Uni<Void> chain = lockRows(session, bundles).chain(() -> forgetOthers(session, bundles));
        List<Carried> rows = new ArrayList<>();
        for (int i = 0; i < bundles.size(); i++) {
            ClusterBundle bundle = bundles.get(i);
            Declaration declaration = declarations.get(i);
            if (declaration instanceof Declaration.Tombstoned
                    || bundle.objects().isEmpty()) {
                continue;
            }
            Map<String, List<Map<String, Object>>> byWorkload = new HashMap<>();
            for (Map<String, Object> object : bundle.objects()) {
                byWorkload
                        .computeIfAbsent(workloadOf(object), w -> new ArrayList<>())
                        .add(object);
            }
            bundle.workloadGenerations().forEach((workload, generation) -> {
                List<Map<String, Object>> own = byWorkload.getOrDefault(workload, List.of());
                String refs = own.stream().map(WorkloadSync::reference).sorted().collect(Collectors.joining("\n"));
                rows.add(new Carried(
                        workload, bundle.clusterId(), generation, declaration.generation(), refs, bytesOf(own)));
            });
        }
        // In the order of the key (the rows there are locked already; these are the new ones).
        rows.sort(Comparator.comparing(Carried::clusterId).thenComparing(Carried::workload));
        Uni<Void> upserts = Slices.each(rows, slice -> {
            Mutiny.Query<?> query =
                    session.createNativeQuery(UPSERT.formatted(MultiRowValues.of(UPSERT_ROW, slice.size())));
            for (int i = 0; i < slice.size(); i++) {
                Carried row = slice.get(i);
                query.setParameter("workload" + i, row.workload())
                        .setParameter("cluster" + i, row.clusterId())
                        .setParameter("declared" + i, row.workloadGeneration())
                        .setParameter("bundle" + i, row.bundleGeneration())
                        .setParameter("objects" + i, row.objects())
                        .setParameter("bytes" + i, row.bytes());
            }
            return query.executeUpdate();
        });
        return chain.chain(() -> upserts).chain(() -> keepSizes(session, bundles));
    }

    /**
     * Locks the rows of the bundles' clusters in the order of their key, before anything deletes or updates one: the
     * sync reports' reads lock them in that order too, so neither can hold a row the other waits for while it waits
     * for one the other holds.
     */
    private static Uni<Void> lockRows(Mutiny.Session session, List<ClusterBundle> bundles) {
        return Slices.each(clustersOf(bundles), slice -> {
            var query = session.createNativeQuery(
                    "SELECT count(*) FROM (SELECT 1 FROM workload_cluster WHERE cluster_id IN ("
                            + Slices.parameters("cluster", slice.size())
                            + ") ORDER BY cluster_id COLLATE \"C\", workload COLLATE \"C\" FOR UPDATE) AS locked",
                    Long.class);
            Slices.bind(query::setParameter, "cluster", slice);
            return query.getSingleResult();
        });
    }

    private static List<String> clustersOf(List<ClusterBundle> bundles) {
        return Slices.sorted(bundles.stream().map(ClusterBundle::clusterId).toList());
    }

    /** The size of each of the bundles' clusters, summed again from what the declaration left. */
    private static Uni<Void> keepSizes(Mutiny.Session session, List<ClusterBundle> bundles) {
        return Slices.each(clustersOf(bundles), slice -> {
            // A cluster whose bundle is empty (withdrawn, deregistered) keeps no row.
            Mutiny.Query<?> query = session.createNativeQuery("WITH sums AS (SELECT c.id, COALESCE((SELECT"
                    + " SUM(w.bundle_bytes) FROM workload_cluster w WHERE w.cluster_id = c.id), 0) AS bytes"
                    + " FROM (VALUES " + MultiRowValues.of("(CAST(:cluster# AS TEXT))", slice.size())
                    + ") AS c(id)), emptied AS (DELETE FROM bundle_size WHERE cluster_id IN"
                    + " (SELECT id FROM sums WHERE bytes = 0))"
                    + " INSERT INTO bundle_size (cluster_id, bundle_bytes) SELECT id, bytes FROM sums WHERE bytes > 0"
                    + " ON CONFLICT (cluster_id) DO UPDATE SET bundle_bytes = EXCLUDED.bundle_bytes");
            Slices.bind(query::setParameter, "cluster", slice);
            return query.executeUpdate();
        });
    }

    private static String workloadOf(Map<String, Object> object) {
        if (object.get("metadata") instanceof Map<?, ?> metadata
                && metadata.get("labels") instanceof Map<?, ?> labels
                && labels.get(Workload.WORKLOAD_LABEL) instanceof String workload) {
            return workload;
        }
        return "";
    }

    /**
     * Deletes the rows of the bundles' clusters whose workload the cluster's bundle no longer carries: one statement
     * for up to {@link Slices#PER_STATEMENT} clusters and kept workloads.
     */
    private static Uni<Void> forgetOthers(Mutiny.Session session, List<ClusterBundle> bundles) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        List<ClusterBundle> slice = new ArrayList<>();
        int rows = 0;
        for (ClusterBundle bundle : bundles) {
            if (!slice.isEmpty() && rows + 1 + bundle.workloadGenerations().size() > Slices.PER_STATEMENT) {
                List<ClusterBundle> full = List.copyOf(slice);
                chain = chain.chain(() -> forgetOthersOf(session, full));
                slice.clear();
                rows = 0;
            }
            slice.add(bundle);
            rows += 1 + bundle.workloadGenerations().size();
        }
        List<ClusterBundle> last = List.copyOf(slice);
        return last.isEmpty() ? chain : chain.chain(() -> forgetOthersOf(session, last));
    }

    private static Uni<Void> forgetOthersOf(Mutiny.Session session, List<ClusterBundle> bundles) {
        List<String[]> kept = new ArrayList<>();
        bundles.forEach(b -> b.workloadGenerations().keySet().stream()
                .sorted()
                .forEach(w -> kept.add(new String[] {b.clusterId(), w})));
        String sql = "DELETE FROM workload_cluster WHERE cluster_id IN ("
                + MultiRowValues.of(":cluster#", bundles.size()) + ")"
                + (kept.isEmpty()
                        ? ""
                        : " AND (cluster_id, workload) NOT IN (VALUES "
                                + MultiRowValues.of(
                                        "(CAST(:keptCluster# AS TEXT), CAST(:keptWorkload# AS TEXT))", kept.size())
                                + ")");
        Mutiny.Query<?> query = session.createNativeQuery(sql);
        for (int i = 0; i < bundles.size(); i++) {
            query.setParameter("cluster" + i, bundles.get(i).clusterId());
        }
        for (int i = 0; i < kept.size(); i++) {
            query.setParameter("keptCluster" + i, kept.get(i)[0]).setParameter("keptWorkload" + i, kept.get(i)[1]);
        }
        return query.executeUpdate().replaceWithVoid();
    }
}
