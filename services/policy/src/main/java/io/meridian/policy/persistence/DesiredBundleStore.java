package io.meridian.policy.persistence;

import io.meridian.contracts.EventType;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.contracts.desired.DesiredBundle;
import io.meridian.contracts.desired.DriftPolicy;
import io.meridian.eventing.audit.AuditTrail;
import io.meridian.eventing.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The bundles the policy service declared, one per cluster: a new generation goes out on {@code fleet.desired.v1}
 * (through the outbox, with an audit record) only when the content hash changed.
 */
@ApplicationScoped
public class DesiredBundleStore {

    /** The owner name inventory stamps on everything the policy service asks for. */
    public static final String OWNER = "policy";

    private final Mutiny.SessionFactory sessions;
    private final Outbox outbox;
    private final AuditTrail audit;
    private final Clock clock;

    DesiredBundleStore(Mutiny.SessionFactory sessions, Outbox outbox, AuditTrail audit, Clock clock) {
        this.sessions = sessions;
        this.outbox = outbox;
        this.audit = audit;
        this.clock = clock;
    }

    /** Declares {@code objects} for {@code clusterId} unless the same content was declared last; the new generation. */
    public Uni<Optional<Long>> declareIfChanged(String clusterId, List<Map<String, Object>> objects, String hash) {
        return sessions.withTransaction(s -> s.createNativeQuery(
                        "SELECT generation, content_hash FROM desired_bundle WHERE cluster_id = :c FOR UPDATE",
                        Object[].class)
                .setParameter("c", clusterId)
                .getResultList()
                .chain(rows -> {
                    long last = rows.isEmpty() ? 0 : ((Number) rows.getFirst()[0]).longValue();
                    String lastHash = rows.isEmpty() ? null : (String) rows.getFirst()[1];
                    if (hash.equals(lastHash) || (rows.isEmpty() && objects.isEmpty())) {
                        return Uni.createFrom().item(Optional.<Long>empty());
                    }
                    long generation = last + 1;
                    OffsetDateTime now = OffsetDateTime.now(clock);
                    DesiredBundle bundle = new DesiredBundle(
                            OWNER, clusterId, generation, DriftPolicy.REPAIR, false, objects, now.toInstant());
                    return s.createNativeQuery("INSERT INTO desired_bundle (cluster_id, generation,"
                                    + " content_hash, object_count, declared_at) VALUES (:c, :g, :h, :n, :at)"
                                    + " ON CONFLICT (cluster_id) DO UPDATE SET generation = :g,"
                                    + " content_hash = :h, object_count = :n, declared_at = :at")
                            .setParameter("c", clusterId)
                            .setParameter("g", generation)
                            .setParameter("h", hash)
                            .setParameter("n", objects.size())
                            .setParameter("at", now)
                            .executeUpdate()
                            .chain(() -> outbox.append(
                                    s, EventType.DESIRED_BUNDLE_DECLARED, bundle.key(), clusterId, bundle))
                            .chain(() -> audit.recordAs(
                                    s,
                                    audit.serviceActor(),
                                    "bundle.declared",
                                    new AuditRecord.Target("DesiredBundle", bundle.key(), clusterId),
                                    AuditRecord.Outcome.success,
                                    Map.of(
                                            "generation", Long.toString(generation),
                                            "objects", Integer.toString(objects.size()))))
                            .replaceWith(Optional.of(generation));
                }));
    }
}
