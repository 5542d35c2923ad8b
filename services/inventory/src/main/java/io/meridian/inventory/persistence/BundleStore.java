package io.meridian.inventory.persistence;

import io.meridian.contracts.EventType;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.contracts.sync.DriftEvent;
import io.meridian.contracts.sync.ObjectOutcome;
import io.meridian.contracts.sync.SyncReport;
import io.meridian.eventing.audit.AuditTrail;
import io.meridian.eventing.outbox.Outbox;
import io.meridian.eventing.sql.MultiRowValues;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * What the bundle engine remembers per owner and cluster. Each application is one transaction: the
 * status row, the set of objects inventory wrote, the {@code fleet.sync.v1} report and the audit record. The set is
 * written ahead: before a run writes to a cluster, the objects it may create are added ({@link #recordIntents}), so a
 * kill between the writes and their recording leaves nothing that no later bundle can prune. Every record of a
 * cluster write is fenced by the partition claim it was made under ({@link PartitionClaims#check}).
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
    private final PartitionClaims claims;

    BundleStore(Mutiny.SessionFactory sessions, Outbox outbox, AuditTrail audit, Clock clock, PartitionClaims claims) {
        this.sessions = sessions;
        this.claims = claims;
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

    /** Everything inventory manages on a cluster, by owner: one read when a cluster connects, not one per owner. */
    public Uni<Map<String, List<AppliedObject>>> appliedOn(String cluster) {
        return sessions.withSession(session -> session.createNativeQuery(
                                "SELECT owner, object_key, api_version, kind, namespace, name, content_hash"
                                        + " FROM bundle_object WHERE cluster = :cluster ORDER BY owner, object_key",
                                Object[].class)
                        .setParameter("cluster", cluster)
                        .getResultList())
                .map(rows -> {
                    Map<String, List<AppliedObject>> byOwner = new HashMap<>();
                    rows.forEach(r -> byOwner.computeIfAbsent((String) r[0], o -> new ArrayList<>())
                            .add(new AppliedObject(
                                    (String) r[1], (String) r[2], (String) r[3], (String) r[4], (String) r[5], (String)
                                            r[6])));
                    return byOwner;
                });
    }

    /**
     * One application of a bundle to record: its report and the objects now managed for its owner, made under
     * {@code claim}.
     */
    public record Application(
            SyncReport report, String driftPolicy, List<AppliedObject> nowApplied, PartitionClaims.Claim claim) {}

    /**
     * What a run is about to write, recorded before it writes: the objects it may create (added to what the owner
     * manages there; none is removed), under {@code claim}. An intent with no objects only checks the claim.
     */
    public record Intent(String owner, String cluster, List<AppliedObject> objects, PartitionClaims.Claim claim) {
        public String key() {
            return owner + "/" + cluster;
        }
    }

    /**
     * Records many runs' intents in one transaction (a group commit); fails with {@link PartitionClaims.Fenced} when
     * any claim is no longer this replica's (the group commit then retries them one by one).
     */
    public Uni<Void> recordIntents(List<Intent> intents) {
        List<Row> rows = new ArrayList<>();
        intents.forEach(i -> i.objects().forEach(o -> rows.add(new Row(i.owner(), i.cluster(), o))));
        return sessions.withTransaction(session -> {
            Uni<Void> chain =
                    claims.check(session, intents.stream().map(Intent::claim).toList());
            for (List<Row> chunk : chunks(rows)) {
                chain = chain.chain(() -> insertRows(session, chunk, true));
            }
            return chain;
        });
    }

    /**
     * Records many applications in one transaction (a group commit): per key its status, the objects now managed,
     * the sync report and the audit record, in a handful of multi-row statements. Keys must be distinct.
     */
    public Uni<Void> recordApplications(List<Application> applications) {
        if (applications.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        List<Outbox.Message> messages = new ArrayList<>();
        for (Application application : applications) {
            SyncReport report = application.report();
            Map<ObjectOutcome.Outcome, Integer> counts = counts(report.outcomes());
            messages.add(new Outbox.Message(EventType.SYNC_REPORTED, report.key(), report.clusterId(), report));
            if (changed(counts)) {
                messages.add(audit.messageAs(
                        audit.serviceActor(),
                        "cluster.objects.applied",
                        new AuditRecord.Target("Bundle", report.key(), report.clusterId()),
                        counts.getOrDefault(ObjectOutcome.Outcome.Failed, 0) > 0
                                ? AuditRecord.Outcome.failed
                                : AuditRecord.Outcome.success,
                        details(report, counts)));
            }
        }
        return sessions.withTransaction(session -> claims.check(
                        session, applications.stream().map(Application::claim).toList())
                .chain(() -> upsertStatuses(session, applications, now))
                .chain(() -> deleteObjects(session, applications))
                .chain(() -> insertObjects(session, applications))
                .chain(() -> outbox.appendAll(session, messages))
                .replaceWithVoid());
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

    /** Records drift on the sync topic and in the status, in one transaction, as long as {@code claim} holds. */
    public Uni<Void> recordDrift(DriftEvent drift, PartitionClaims.Claim claim) {
        String summary = drift.change() + " " + drift.object().kind() + " "
                + (drift.object().namespace() == null ? "" : drift.object().namespace() + "/")
                + drift.object().name()
                + (drift.changedBy() == null ? "" : " by " + drift.changedBy())
                + (drift.repaired() ? ", repaired" : ", reported");
        EventType type = drift.repaired() ? EventType.SYNC_DRIFT_REPAIRED : EventType.SYNC_DRIFT_DETECTED;
        return sessions.withTransaction(session -> claims.check(session, List.of(claim))
                        .chain(() -> session.createNativeQuery(
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
                                                drift.changedBy() == null
                                                        ? "unknown (out of band)"
                                                        : drift.changedBy()),
                                        drift.repaired() ? "cluster.drift.repaired" : "cluster.drift.detected",
                                        new AuditRecord.Target(
                                                drift.object().kind(),
                                                drift.object().key(),
                                                drift.clusterId()),
                                        AuditRecord.Outcome.success,
                                        Map.of(
                                                "owner",
                                                drift.owner(),
                                                "change",
                                                drift.change().name())))))
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

    // PostgreSQL takes at most 65,535 parameters per statement; statuses take 13 per row, objects 8.
    private static final int ROWS_PER_STATEMENT = 1000;

    private static Uni<Void> upsertStatuses(
            Mutiny.Session session, List<Application> applications, OffsetDateTime now) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (List<Application> rows : chunks(applications)) {
            chain = chain.chain(() -> upsertStatusRows(session, rows, now));
        }
        return chain;
    }

    private static Uni<Void> upsertStatusRows(
            Mutiny.Session session, List<Application> applications, OffsetDateTime now) {
        StringBuilder sql = new StringBuilder("INSERT INTO bundle_sync (owner, cluster, generation_wanted,"
                + " generation_applied, created, patched, unchanged, deleted, conflicts, failed, drift_policy,"
                + " last_error, applied_at, updated_at) VALUES ");
        sql.append(MultiRowValues.of(
                "(:owner#, :cluster#, :wanted#, :applied#, :created#, :patched#, :unchanged#, :deleted#, :conflicts#,"
                        + " :failed#, :policy#, NULL, :now, :now)",
                applications.size()));
        sql.append(" ON CONFLICT (owner, cluster) DO UPDATE SET generation_wanted = EXCLUDED.generation_wanted,"
                + " generation_applied = EXCLUDED.generation_applied, created = EXCLUDED.created,"
                + " patched = EXCLUDED.patched, unchanged = EXCLUDED.unchanged, deleted = EXCLUDED.deleted,"
                + " conflicts = EXCLUDED.conflicts, failed = EXCLUDED.failed, drift_policy = EXCLUDED.drift_policy,"
                + " last_error = NULL, applied_at = EXCLUDED.applied_at, updated_at = EXCLUDED.updated_at");
        var query = session.createNativeQuery(sql.toString()).setParameter("now", now);
        for (int i = 0; i < applications.size(); i++) {
            SyncReport report = applications.get(i).report();
            Map<ObjectOutcome.Outcome, Integer> counts = counts(report.outcomes());
            query.setParameter("owner" + i, report.owner())
                    .setParameter("cluster" + i, report.clusterId())
                    .setParameter("wanted" + i, report.generationWanted())
                    .setParameter("applied" + i, report.generationApplied())
                    .setParameter("created" + i, counts.getOrDefault(ObjectOutcome.Outcome.Created, 0))
                    .setParameter("patched" + i, counts.getOrDefault(ObjectOutcome.Outcome.Patched, 0))
                    .setParameter("unchanged" + i, counts.getOrDefault(ObjectOutcome.Outcome.Unchanged, 0))
                    .setParameter("deleted" + i, counts.getOrDefault(ObjectOutcome.Outcome.Deleted, 0))
                    .setParameter("conflicts" + i, counts.getOrDefault(ObjectOutcome.Outcome.Conflict, 0))
                    .setParameter("failed" + i, counts.getOrDefault(ObjectOutcome.Outcome.Failed, 0))
                    .setParameter("policy" + i, applications.get(i).driftPolicy());
        }
        return query.executeUpdate().replaceWithVoid();
    }

    private static Uni<Void> deleteObjects(Mutiny.Session session, List<Application> applications) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (List<Application> keys : chunks(applications)) {
            String sql = "DELETE FROM bundle_object WHERE (owner, cluster) IN ("
                    + MultiRowValues.of("(:owner#, :cluster#)", keys.size()) + ")";
            var query = session.createNativeQuery(sql);
            for (int i = 0; i < keys.size(); i++) {
                query.setParameter("owner" + i, keys.get(i).report().owner())
                        .setParameter("cluster" + i, keys.get(i).report().clusterId());
            }
            chain = chain.chain(() -> query.executeUpdate().replaceWithVoid());
        }
        return chain;
    }

    /** The keys' objects in multi-row statements: one round trip per thousand objects, not one per object. */
    private static Uni<Void> insertObjects(Mutiny.Session session, List<Application> applications) {
        List<Row> rows = new ArrayList<>();
        applications.forEach(a -> a.nowApplied()
                .forEach(o -> rows.add(new Row(a.report().owner(), a.report().clusterId(), o))));
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (List<Row> chunk : chunks(rows)) {
            chain = chain.chain(() -> insertRows(session, chunk, false));
        }
        return chain;
    }

    private record Row(String owner, String cluster, AppliedObject object) {}

    /** {@code keep}: an object already recorded keeps its row (an intent never changes what was applied). */
    private static Uni<Void> insertRows(Mutiny.Session session, List<Row> rows, boolean keep) {
        String sql = "INSERT INTO bundle_object (owner, cluster, object_key, api_version, kind, namespace, name,"
                + " content_hash) VALUES "
                + MultiRowValues.of(
                        "(:owner#, :cluster#, :key#, :apiVersion#, :kind#, :namespace#, :name#, :hash#)", rows.size())
                + (keep ? " ON CONFLICT (owner, cluster, object_key) DO NOTHING" : "");
        var query = session.createNativeQuery(sql);
        for (int i = 0; i < rows.size(); i++) {
            AppliedObject o = rows.get(i).object();
            query.setParameter("owner" + i, rows.get(i).owner())
                    .setParameter("cluster" + i, rows.get(i).cluster())
                    .setParameter("key" + i, o.key())
                    .setParameter("apiVersion" + i, o.apiVersion())
                    .setParameter("kind" + i, o.kind())
                    .setParameter("namespace" + i, o.namespace())
                    .setParameter("name" + i, o.name())
                    .setParameter("hash" + i, o.contentHash());
        }
        return query.executeUpdate().replaceWithVoid();
    }

    private static <T> List<List<T>> chunks(List<T> items) {
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < items.size(); from += ROWS_PER_STATEMENT) {
            chunks.add(items.subList(from, Math.min(items.size(), from + ROWS_PER_STATEMENT)));
        }
        return chunks;
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
