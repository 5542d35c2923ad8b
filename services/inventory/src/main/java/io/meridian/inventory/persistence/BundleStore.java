package io.meridian.inventory.persistence;

import io.meridian.contracts.EventType;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.contracts.sync.DriftEvent;
import io.meridian.contracts.sync.ObjectOutcome;
import io.meridian.contracts.sync.SyncReport;
import io.meridian.eventing.audit.AuditTrail;
import io.meridian.eventing.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * What the bundle engine remembers per owner and cluster. Each application is one transaction: the
 * status row, the set of objects inventory wrote, the {@code fleet.sync.v1} report and the audit record.
 */
@ApplicationScoped
public class BundleStore {

    /** An object inventory wrote for an owner, so it can be pruned later. */
    public record AppliedObject(
            String key, String apiVersion, String kind, String namespace, String name, String contentHash) {}

    /** The status of one owner's bundle on one cluster, as the sync API shows it. */
    public record SyncState(
            String owner,
            String cluster,
            long generationWanted,
            long generationApplied,
            Map<ObjectOutcome.Outcome, Integer> outcomes,
            String driftPolicy,
            String lastError,
            String lastDrift,
            OffsetDateTime lastDriftAt,
            OffsetDateTime appliedAt,
            OffsetDateTime updatedAt) {}

    private final Mutiny.SessionFactory sessions;
    private final Outbox outbox;
    private final AuditTrail audit;
    private final Clock clock;

    BundleStore(Mutiny.SessionFactory sessions, Outbox outbox, AuditTrail audit, Clock clock) {
        this.sessions = sessions;
        this.outbox = outbox;
        this.audit = audit;
        this.clock = clock;
    }

    public Uni<List<AppliedObject>> applied(String owner, String cluster) {
        return sessions.withSession(session -> session.createNativeQuery(
                                "SELECT object_key, api_version, kind, namespace, name, content_hash FROM bundle_object"
                                        + " WHERE owner = :owner AND cluster = :cluster ORDER BY object_key",
                                Object[].class)
                        .setParameter("owner", owner)
                        .setParameter("cluster", cluster)
                        .getResultList())
                .map(rows -> rows.stream()
                        .map(r -> new AppliedObject(
                                (String) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4], (String)
                                        r[5]))
                        .toList());
    }

    /** Records an application: status, objects now managed, the sync report and the audit record. */
    public Uni<Void> recordApplication(
            SyncReport report, String driftPolicy, List<AppliedObject> nowApplied, String error) {
        Map<ObjectOutcome.Outcome, Integer> counts = counts(report.outcomes());
        OffsetDateTime now = OffsetDateTime.now(clock);
        return sessions.withTransaction(session -> upsertStatus(session, report, counts, driftPolicy, error, now)
                .chain(() -> session.createNativeQuery(
                                "DELETE FROM bundle_object WHERE owner = :owner AND cluster = :cluster")
                        .setParameter("owner", report.owner())
                        .setParameter("cluster", report.clusterId())
                        .executeUpdate())
                .chain(() -> insertObjects(session, report.owner(), report.clusterId(), nowApplied))
                .chain(() -> outbox.append(session, EventType.SYNC_REPORTED, report.key(), report.clusterId(), report))
                .chain(() -> changed(counts)
                        ? audit.recordAs(
                                        session,
                                        audit.serviceActor(),
                                        "cluster.objects.applied",
                                        new AuditRecord.Target("Bundle", report.key(), report.clusterId()),
                                        counts.getOrDefault(ObjectOutcome.Outcome.Failed, 0) > 0
                                                ? AuditRecord.Outcome.failed
                                                : AuditRecord.Outcome.success,
                                        details(report, counts))
                                .replaceWithVoid()
                        : Uni.createFrom().voidItem()));
    }

    /** Records a failure to reach or write the cluster; the engine retries. */
    public Uni<Void> recordError(String owner, String cluster, long generationWanted, String error) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return sessions.withTransaction(session -> session.createNativeQuery(
                                "INSERT INTO bundle_sync (owner, cluster, generation_wanted, last_error, updated_at)"
                                        + " VALUES (:owner, :cluster, :wanted, :error, :now)"
                                        + " ON CONFLICT (owner, cluster) DO UPDATE SET generation_wanted = :wanted,"
                                        + " last_error = :error, updated_at = :now")
                        .setParameter("owner", owner)
                        .setParameter("cluster", cluster)
                        .setParameter("wanted", generationWanted)
                        .setParameter("error", error)
                        .setParameter("now", now)
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** Records drift on the sync topic and in the status, in one transaction. */
    public Uni<Void> recordDrift(DriftEvent drift) {
        String summary = drift.change() + " " + drift.object().kind() + " "
                + (drift.object().namespace() == null ? "" : drift.object().namespace() + "/")
                + drift.object().name()
                + (drift.changedBy() == null ? "" : " by " + drift.changedBy())
                + (drift.repaired() ? ", repaired" : ", reported");
        EventType type = drift.repaired() ? EventType.SYNC_DRIFT_REPAIRED : EventType.SYNC_DRIFT_DETECTED;
        return sessions.withTransaction(session -> session.createNativeQuery(
                                "UPDATE bundle_sync SET last_drift = :drift, last_drift_at = :at, updated_at = :at"
                                        + " WHERE owner = :owner AND cluster = :cluster")
                        .setParameter("drift", summary)
                        .setParameter("at", drift.detectedAt().atOffset(ZoneOffset.UTC))
                        .setParameter("owner", drift.owner())
                        .setParameter("cluster", drift.clusterId())
                        .executeUpdate()
                        .chain(() -> outbox.append(session, type, drift.key(), drift.clusterId(), drift))
                        .chain(() -> audit.recordAs(
                                session,
                                new AuditRecord.Actor(
                                        drift.changedBy() == null
                                                ? AuditRecord.ActorType.service
                                                : AuditRecord.ActorType.user,
                                        drift.changedBy() == null ? "unknown (out of band)" : drift.changedBy()),
                                drift.repaired() ? "cluster.drift.repaired" : "cluster.drift.detected",
                                new AuditRecord.Target(
                                        drift.object().kind(), drift.object().key(), drift.clusterId()),
                                AuditRecord.Outcome.success,
                                Map.of(
                                        "owner",
                                        drift.owner(),
                                        "change",
                                        drift.change().name()))))
                .replaceWithVoid();
    }

    public Uni<List<SyncState>> syncOf(String cluster) {
        return sessions.withSession(session -> session.createNativeQuery(
                                "SELECT owner, cluster, generation_wanted, generation_applied, created, patched, unchanged,"
                                        + " deleted, conflicts, failed, drift_policy, last_error, last_drift, last_drift_at,"
                                        + " applied_at, updated_at FROM bundle_sync WHERE cluster = :cluster ORDER BY owner",
                                Object[].class)
                        .setParameter("cluster", cluster)
                        .getResultList())
                .map(rows -> rows.stream().map(BundleStore::state).toList());
    }

    private static SyncState state(Object[] r) {
        Map<ObjectOutcome.Outcome, Integer> outcomes = new EnumMap<>(ObjectOutcome.Outcome.class);
        outcomes.put(ObjectOutcome.Outcome.Created, ((Number) r[4]).intValue());
        outcomes.put(ObjectOutcome.Outcome.Patched, ((Number) r[5]).intValue());
        outcomes.put(ObjectOutcome.Outcome.Unchanged, ((Number) r[6]).intValue());
        outcomes.put(ObjectOutcome.Outcome.Deleted, ((Number) r[7]).intValue());
        outcomes.put(ObjectOutcome.Outcome.Conflict, ((Number) r[8]).intValue());
        outcomes.put(ObjectOutcome.Outcome.Failed, ((Number) r[9]).intValue());
        return new SyncState(
                (String) r[0],
                (String) r[1],
                ((Number) r[2]).longValue(),
                ((Number) r[3]).longValue(),
                outcomes,
                (String) r[10],
                (String) r[11],
                (String) r[12],
                time(r[13]),
                time(r[14]),
                time(r[15]));
    }

    private static OffsetDateTime time(Object value) {
        return switch (value) {
            case null -> null;
            case OffsetDateTime t -> t;
            case java.time.LocalDateTime t -> t.atOffset(ZoneOffset.UTC);
            case java.time.Instant t -> t.atOffset(ZoneOffset.UTC);
            case java.sql.Timestamp t -> t.toInstant().atOffset(ZoneOffset.UTC);
            default -> OffsetDateTime.parse(value.toString());
        };
    }

    private Uni<Integer> upsertStatus(
            Mutiny.Session session,
            SyncReport report,
            Map<ObjectOutcome.Outcome, Integer> counts,
            String driftPolicy,
            String error,
            OffsetDateTime now) {
        return session.createNativeQuery(
                        "INSERT INTO bundle_sync (owner, cluster, generation_wanted, generation_applied,"
                                + " created, patched, unchanged, deleted, conflicts, failed, drift_policy, last_error, applied_at,"
                                + " updated_at) VALUES (:owner, :cluster, :wanted, :applied, :created, :patched, :unchanged,"
                                + " :deleted, :conflicts, :failed, :policy, :error, :now, :now)"
                                + " ON CONFLICT (owner, cluster) DO UPDATE SET generation_wanted = :wanted,"
                                + " generation_applied = :applied, created = :created, patched = :patched,"
                                + " unchanged = :unchanged, deleted = :deleted, conflicts = :conflicts, failed = :failed,"
                                + " drift_policy = :policy, last_error = :error, applied_at = :now, updated_at = :now")
                .setParameter("owner", report.owner())
                .setParameter("cluster", report.clusterId())
                .setParameter("wanted", report.generationWanted())
                .setParameter("applied", report.generationApplied())
                .setParameter("created", counts.getOrDefault(ObjectOutcome.Outcome.Created, 0))
                .setParameter("patched", counts.getOrDefault(ObjectOutcome.Outcome.Patched, 0))
                .setParameter("unchanged", counts.getOrDefault(ObjectOutcome.Outcome.Unchanged, 0))
                .setParameter("deleted", counts.getOrDefault(ObjectOutcome.Outcome.Deleted, 0))
                .setParameter("conflicts", counts.getOrDefault(ObjectOutcome.Outcome.Conflict, 0))
                .setParameter("failed", counts.getOrDefault(ObjectOutcome.Outcome.Failed, 0))
                .setParameter("policy", driftPolicy)
                .setParameter("error", error)
                .setParameter("now", now)
                .executeUpdate();
    }

    // PostgreSQL takes at most 65,535 parameters per statement; eight per row.
    private static final int ROWS_PER_INSERT = 1000;

    /** A key's objects in multi-row statements: one round trip per thousand objects, not one per object. */
    private static Uni<Void> insertObjects(
            Mutiny.Session session, String owner, String cluster, List<AppliedObject> objects) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int from = 0; from < objects.size(); from += ROWS_PER_INSERT) {
            List<AppliedObject> rows = objects.subList(from, Math.min(objects.size(), from + ROWS_PER_INSERT));
            chain = chain.chain(() -> insertRows(session, owner, cluster, rows));
        }
        return chain;
    }

    private static Uni<Void> insertRows(
            Mutiny.Session session, String owner, String cluster, List<AppliedObject> objects) {
        StringBuilder sql = new StringBuilder("INSERT INTO bundle_object (owner, cluster, object_key, api_version,"
                + " kind, namespace, name, content_hash) VALUES ");
        for (int i = 0; i < objects.size(); i++) {
            sql.append(i == 0 ? "" : ", ")
                    .append(
                            "(:owner, :cluster, :key%1$d, :apiVersion%1$d, :kind%1$d, :namespace%1$d, :name%1$d, :hash%1$d)"
                                    .formatted(i));
        }
        var query = session.createNativeQuery(sql.toString())
                .setParameter("owner", owner)
                .setParameter("cluster", cluster);
        for (int i = 0; i < objects.size(); i++) {
            AppliedObject o = objects.get(i);
            query.setParameter("key" + i, o.key())
                    .setParameter("apiVersion" + i, o.apiVersion())
                    .setParameter("kind" + i, o.kind())
                    .setParameter("namespace" + i, o.namespace())
                    .setParameter("name" + i, o.name())
                    .setParameter("hash" + i, o.contentHash());
        }
        return query.executeUpdate().replaceWithVoid();
    }

    private static Map<ObjectOutcome.Outcome, Integer> counts(List<ObjectOutcome> outcomes) {
        Map<ObjectOutcome.Outcome, Integer> counts = new EnumMap<>(ObjectOutcome.Outcome.class);
        outcomes.forEach(o -> counts.merge(o.outcome(), 1, Integer::sum));
        return counts;
    }

    private static boolean changed(Map<ObjectOutcome.Outcome, Integer> counts) {
        return counts.keySet().stream().anyMatch(o -> o != ObjectOutcome.Outcome.Unchanged);
    }

    private static Map<String, String> details(SyncReport report, Map<ObjectOutcome.Outcome, Integer> counts) {
        Map<String, String> details = new HashMap<>();
        details.put("generation", Long.toString(report.generationWanted()));
        counts.forEach(
                (outcome, n) -> details.put(outcome.name().toLowerCase(java.util.Locale.ROOT), Integer.toString(n)));
        return details;
    }
}
