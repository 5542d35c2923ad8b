package io.meridian.eventing.desired;

import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.contracts.desired.BundleContentHash;
import io.meridian.contracts.desired.DesiredBundle;
import io.meridian.contracts.desired.DriftPolicy;
import io.meridian.eventing.audit.AuditTrail;
import io.meridian.eventing.outbox.Outbox;
import io.meridian.eventing.sql.MultiRowValues;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Declares what an owner wants on clusters on the owner's own desired topic ({@link Topic#desiredFor}, which only the
 * owner's principal may write and from which inventory takes the owner) inside the caller's transaction: a new
 * generation when the content or its settings changed, a tombstone when nothing is wanted, else nothing.
 */
@ApplicationScoped
public class DesiredBundleDeclarer {

    // Level-triggered: the same wish again, also after a retraction, writes nothing. The bookkeeping is one row per
    // owner and cluster in the owner's desired_bundle table, locked for the transaction, so two replicas never hand out
    // the same generation; every declaration and tombstone goes out through the outbox with an audit record.

    /** The audit action of a new generation. */
    public static final String DECLARED = "bundle.declared";

    /** The audit action of a tombstone. */
    public static final String WITHDRAWN = "bundle.withdrawn";

    // Nine parameters per upserted row; PostgreSQL takes at most 65,535 per statement.
    private static final int ROWS_PER_STATEMENT = 1000;

    // A row for every cluster before the lock: a cluster nobody declared to yet has nothing to lock otherwise, and two
    // first declarations would both take generation 1. Generation 0 and tombstoned means "never declared".
    private static final String ENSURE_ROWS =
            "INSERT INTO desired_bundle (owner, cluster_id, generation, object_count, declared_at, tombstoned) VALUES ";
    private static final String ENSURE_ROW = "(:owner, :cluster#, 0, 0, :at, true)";
    private static final String ENSURE_CONFLICT = " ON CONFLICT (owner, cluster_id) DO NOTHING";
    // Sorted, so transactions that declare overlapping sets of clusters take their locks in the same order.
    private static final String LOCK_ROWS =
            "SELECT cluster_id, generation, content_hash, tombstoned, drift_policy, adopt FROM desired_bundle"
                    + " WHERE owner = :owner AND cluster_id IN (%s) ORDER BY cluster_id FOR UPDATE";
    private static final String UPSERT = "INSERT INTO desired_bundle (owner, cluster_id, generation, content_hash,"
            + " object_count, drift_policy, adopt, declared_at, tombstoned) VALUES %s"
            + " ON CONFLICT (owner, cluster_id) DO UPDATE SET generation = EXCLUDED.generation,"
            + " content_hash = EXCLUDED.content_hash, object_count = EXCLUDED.object_count,"
            + " drift_policy = EXCLUDED.drift_policy, adopt = EXCLUDED.adopt, declared_at = EXCLUDED.declared_at,"
            + " tombstoned = EXCLUDED.tombstoned";
    private static final String UPSERT_ROW =
            "(:owner, :cluster#, :generation#, :hash#, :count#, :drift#, :adopt#, :at, :tombstoned#)";

    private final Outbox outbox;
    private final AuditTrail audit;
    private final Clock clock;

    DesiredBundleDeclarer(Outbox outbox, AuditTrail audit, Clock clock) {
        this.outbox = outbox;
        this.audit = audit;
        this.clock = clock;
    }

    /** Declares what {@code owner} wants on one cluster; nothing wanted withdraws the bundle there. */
    public Uni<Declaration> declare(Mutiny.Session session, String owner, WantedBundle wanted) {
        return declareAll(session, owner, List.of(wanted)).map(List::getFirst);
    }

    /** Withdraws {@code owner}'s bundle from a cluster that left the fleet; a no-op if it was withdrawn already. */
    public Uni<Declaration> retract(Mutiny.Session session, String owner, String clusterId) {
        return declare(session, owner, WantedBundle.nothing(clusterId));
    }

    /**
     * Declares what {@code owner} wants on many clusters with a few multi-row statements, so that a change reaching
     * every cluster stays a handful of round trips; the results come in the order of {@code wanted}.
     */
    public Uni<List<Declaration>> declareAll(Mutiny.Session session, String owner, List<WantedBundle> wanted) {
        Topic topic = topicOf(owner);
        Map<String, WantedBundle> byCluster = new TreeMap<>();
        for (WantedBundle w : wanted) {
            if (byCluster.put(w.clusterId(), w) != null) {
                throw new IllegalArgumentException("cluster " + w.clusterId() + " is wanted twice in one declaration");
            }
        }
        if (byCluster.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        List<String> clusterIds = List.copyOf(byCluster.keySet());
        return lock(session, owner, clusterIds, now).chain(last -> {
            Plan plan = plan(topic, owner, byCluster.values(), last, now);
            return write(session, topic, owner, plan, now)
                    .replaceWith(() -> wanted.stream()
                            .map(w -> plan.results().get(w.clusterId()))
                            .toList());
        });
    }

    /** The clusters where {@code owner} has a bundle declared and not withdrawn. */
    public Uni<Set<String>> declaredClusters(Mutiny.Session session, String owner) {
        requireOwner(owner);
        return session.createNativeQuery(
                        "SELECT cluster_id FROM desired_bundle WHERE owner = :owner AND NOT tombstoned", String.class)
                .setParameter("owner", owner)
                .getResultList()
                .map(Set::copyOf);
    }

    // ------------------------------------------------------------------ lock, decide, write

    /** The last declaration per cluster as the locked rows hold it. */
    private record Last(
            long generation, String contentHash, boolean tombstoned, DriftPolicy driftPolicy, boolean adopt) {

        boolean sameAs(String hash, WantedBundle wanted) {
            return !tombstoned
                    && hash.equals(contentHash)
                    && wanted.driftPolicy() == driftPolicy
                    && wanted.adopt() == adopt;
        }
    }

    /** A row as it is written after this declaration. */
    private record Row(
            String clusterId,
            long generation,
            String contentHash,
            int objectCount,
            DriftPolicy driftPolicy,
            boolean adopt,
            boolean tombstoned) {}

    /** What one call writes: rows, the bundles and tombstones for the outbox, and the result per cluster. */
    private record Plan(
            List<Row> rows, List<String> tombstones, List<Outbox.Message> messages, Map<String, Declaration> results) {}

    private Uni<Map<String, Last>> lock(
            Mutiny.Session session, String owner, List<String> clusterIds, OffsetDateTime now) {
        Uni<Void> ensured = Uni.createFrom().voidItem();
        for (List<String> chunk : chunks(clusterIds)) {
            ensured = ensured.chain(() -> {
                Mutiny.Query<?> insert = session.createNativeQuery(
                                ENSURE_ROWS + MultiRowValues.of(ENSURE_ROW, chunk.size()) + ENSURE_CONFLICT)
                        .setParameter("owner", owner)
                        .setParameter("at", now);
                bindClusters(insert, chunk);
                return insert.executeUpdate().replaceWithVoid();
            });
        }
        Map<String, Last> last = new HashMap<>();
        Uni<Void> locked = ensured;
        for (List<String> chunk : chunks(clusterIds)) {
            locked = locked.chain(() -> {
                        Mutiny.SelectionQuery<Object[]> select = session.createNativeQuery(
                                        LOCK_ROWS.formatted(MultiRowValues.of(":cluster#", chunk.size())),
                                        Object[].class)
                                .setParameter("owner", owner);
                        for (int i = 0; i < chunk.size(); i++) {
                            select.setParameter("cluster" + i, chunk.get(i));
                        }
                        return select.getResultList()
                                .invoke(rows -> rows.forEach(r -> last.put((String) r[0], last(r))));
                    })
                    .replaceWithVoid();
        }
        return locked.map(ignored -> {
            if (last.size() != clusterIds.size()) {
                // Only possible if someone deleted rows under the lock: declaring without one would reuse generations.
                Set<String> missing = new HashSet<>(clusterIds);
                missing.removeAll(last.keySet());
                throw new IllegalStateException("desired_bundle rows vanished while locking them: " + missing);
            }
            return last;
        });
    }

    private static Last last(Object[] row) {
        return new Last(
                ((Number) row[1]).longValue(),
                (String) row[2],
                (Boolean) row[3],
                DriftPolicy.valueOf(((String) row[4]).toUpperCase(Locale.ROOT)),
                (Boolean) row[5]);
    }

    private Plan plan(
            Topic topic,
            String owner,
            Iterable<WantedBundle> wanted,
            Map<String, Last> lastByCluster,
            OffsetDateTime now) {
        List<Row> rows = new ArrayList<>();
        List<String> tombstones = new ArrayList<>();
        List<Outbox.Message> messages = new ArrayList<>();
        Map<String, Declaration> results = new HashMap<>();
        for (WantedBundle w : wanted) {
            String clusterId = w.clusterId();
            Last last = lastByCluster.get(clusterId);
            String key = DesiredBundle.key(owner, clusterId);
            Declaration result;
            if (w.isNothing()) {
                if (last.tombstoned()) {
                    result = new Declaration.Unchanged(clusterId, last.generation());
                } else {
                    // The generation stays: a tombstone carries none, and the next bundle must still be newer.
                    rows.add(new Row(clusterId, last.generation(), null, 0, last.driftPolicy(), last.adopt(), true));
                    tombstones.add(clusterId);
                    messages.add(auditMessage(WITHDRAWN, key, clusterId, last.generation(), 0));
                    result = new Declaration.Tombstoned(clusterId, last.generation());
                }
            } else {
                String hash = BundleContentHash.of(w.objects());
                if (last.sameAs(hash, w)) {
                    result = new Declaration.Unchanged(clusterId, last.generation());
                } else {
                    long generation = last.generation() + 1;
                    int count = w.objects().size();
                    rows.add(new Row(clusterId, generation, hash, count, w.driftPolicy(), w.adopt(), false));
                    DesiredBundle bundle = new DesiredBundle(
                            owner, clusterId, generation, w.driftPolicy(), w.adopt(), w.objects(), now.toInstant());
                    messages.add(new Outbox.Message(topic, EventType.DESIRED_BUNDLE_DECLARED, key, clusterId, bundle));
                    messages.add(auditMessage(DECLARED, key, clusterId, generation, count));
                    result = new Declaration.Declared(clusterId, generation, count);
                }
            }
            results.put(clusterId, result);
        }
        return new Plan(rows, tombstones, messages, results);
    }

    private Outbox.Message auditMessage(String action, String key, String clusterId, long generation, int objects) {
        return audit.messageAs(
                audit.serviceActor(),
                action,
                new AuditRecord.Target("DesiredBundle", key, clusterId),
                AuditRecord.Outcome.success,
                Map.of("generation", Long.toString(generation), "objects", Integer.toString(objects)));
    }

    private Uni<Void> write(Mutiny.Session session, Topic topic, String owner, Plan plan, OffsetDateTime now) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (List<Row> chunk : chunks(plan.rows())) {
            chain = chain.chain(() -> upsert(session, owner, chunk, now));
        }
        // Tombstones have no data, so they cannot share the multi-row statement of the bundles.
        if (!plan.tombstones().isEmpty()) {
            List<Outbox.Tombstone> tombstones = plan.tombstones().stream()
                    .map(clusterId -> new Outbox.Tombstone(DesiredBundle.key(owner, clusterId), clusterId))
                    .toList();
            chain = chain.chain(
                    () -> outbox.appendTombstones(session, topic, EventType.DESIRED_BUNDLE_DECLARED, tombstones)
                            .replaceWithVoid());
        }
        if (!plan.messages().isEmpty()) {
            chain = chain.chain(() -> outbox.appendAll(session, plan.messages()).replaceWithVoid());
        }
        return chain;
    }

    private static Uni<Void> upsert(Mutiny.Session session, String owner, List<Row> rows, OffsetDateTime now) {
        Mutiny.Query<?> query = session.createNativeQuery(UPSERT.formatted(MultiRowValues.of(UPSERT_ROW, rows.size())))
                .setParameter("owner", owner)
                .setParameter("at", now);
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            query.setParameter("cluster" + i, row.clusterId())
                    .setParameter("generation" + i, row.generation())
                    .setParameter("hash" + i, row.contentHash())
                    .setParameter("count" + i, row.objectCount())
                    .setParameter("drift" + i, row.driftPolicy().name().toLowerCase(Locale.ROOT))
                    .setParameter("adopt" + i, row.adopt())
                    .setParameter("tombstoned" + i, row.tombstoned());
        }
        return query.executeUpdate().replaceWithVoid();
    }

    private static void bindClusters(Mutiny.Query<?> query, List<String> clusterIds) {
        for (int i = 0; i < clusterIds.size(); i++) {
            query.setParameter("cluster" + i, clusterIds.get(i));
        }
    }

    private static <T> List<List<T>> chunks(List<T> all) {
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += ROWS_PER_STATEMENT) {
            chunks.add(all.subList(from, Math.min(all.size(), from + ROWS_PER_STATEMENT)));
        }
        return chunks;
    }

    private static void requireOwner(String owner) {
        // The record key is owner/clusterId and inventory splits it at the first slash.
        if (owner == null || owner.isBlank() || owner.contains("/")) {
            throw new IllegalArgumentException("owner must be a non-blank name without '/', not '" + owner + "'");
        }
    }

    /** The owner's desired topic: inventory reads the owner of a bundle from the topic it arrives on. */
    private static Topic topicOf(String owner) {
        requireOwner(owner);
        return Topic.desiredFor(owner)
                .orElseThrow(() -> new IllegalArgumentException("owner '" + owner + "' has no desired topic (owners: "
                        + Topic.desired().stream()
                                .map(t -> t.producer().orElseThrow())
                                .toList()
                        + ")"));
    }
}
