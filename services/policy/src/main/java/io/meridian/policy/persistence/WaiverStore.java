package io.meridian.policy.persistence;

import io.meridian.contracts.audit.AuditRecord;
import io.meridian.eventing.audit.AuditTrail;
import io.meridian.policy.domain.Waiver;
import io.meridian.servicekit.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/** Waivers: created and revoked with an audit record each; expired ones simply stop applying. */
@ApplicationScoped
public class WaiverStore {

    private static final String SELECT = "SELECT id, policy, cluster_id, namespace, kind, name, reason, expires_at,"
            + " created_by, created_at FROM waiver";

    private final Mutiny.SessionFactory sessions;
    private final AuditTrail audit;
    private final Clock clock;

    WaiverStore(Mutiny.SessionFactory sessions, AuditTrail audit, Clock clock) {
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
    }

    public Uni<List<Waiver>> list() {
        return sessions.withSession(s -> s.createNativeQuery(SELECT + " ORDER BY created_at, id", Object[].class)
                        .getResultList())
                .map(rows -> rows.stream().map(WaiverStore::row).toList());
    }

    /** Stores a new waiver (the id is assigned here) for a policy that must exist. */
    public Uni<Waiver> create(Waiver draft, String actor) {
        Waiver waiver = new Waiver(
                UUID.randomUUID().toString(),
                draft.policy(),
                draft.clusterId(),
                draft.namespace(),
                draft.kind(),
                draft.name(),
                draft.reason(),
                draft.expiresAt(),
                actor,
                clock.instant());
        return sessions.withTransaction(s -> s.createNativeQuery("SELECT count(*) FROM policy WHERE name = :p")
                .setParameter("p", waiver.policy())
                .getSingleResult()
                .chain(count -> {
                    if (((Number) count).longValue() == 0) {
                        return Uni.createFrom()
                                .failure(ProblemException.invalid(
                                        "policy", "no policy named '" + waiver.policy() + "' exists"));
                    }
                    return s.createNativeQuery("INSERT INTO waiver (id, policy, cluster_id, namespace, kind, name,"
                                    + " reason, expires_at, created_by, created_at) VALUES (:id, :policy, :cluster,"
                                    + " :ns, :kind, :name, :reason, :expires, :by, :at)")
                            .setParameter("id", waiver.id())
                            .setParameter("policy", waiver.policy())
                            .setParameter("cluster", waiver.clusterId())
                            .setParameter("ns", waiver.namespace())
                            .setParameter("kind", waiver.kind())
                            .setParameter("name", waiver.name())
                            .setParameter("reason", waiver.reason())
                            .setParameter(
                                    "expires",
                                    waiver.expiresAt() == null
                                            ? null
                                            : waiver.expiresAt().atOffset(ZoneOffset.UTC))
                            .setParameter("by", actor)
                            .setParameter("at", waiver.createdAt().atOffset(ZoneOffset.UTC))
                            .executeUpdate()
                            .chain(() -> record(s, "waiver.created", waiver))
                            .replaceWith(waiver);
                }));
    }

    /** Revokes a waiver; 404 when there is none with that id. */
    public Uni<Waiver> delete(String id) {
        return sessions.withTransaction(s -> s.createNativeQuery(SELECT + " WHERE id = :id", Object[].class)
                .setParameter("id", id)
                .getResultList()
                .chain(rows -> {
                    if (rows.isEmpty()) {
                        return Uni.createFrom().failure(ProblemException.notFound("waiver '" + id + "'"));
                    }
                    Waiver waiver = row(rows.getFirst());
                    return s.createNativeQuery("DELETE FROM waiver WHERE id = :id")
                            .setParameter("id", id)
                            .executeUpdate()
                            .chain(() -> record(s, "waiver.revoked", waiver))
                            .replaceWith(waiver);
                }));
    }

    private Uni<AuditRecord> record(Mutiny.Session s, String action, Waiver w) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("policy", w.policy());
        details.put("scope", scope(w));
        details.put("reason", w.reason());
        if (w.expiresAt() != null) {
            details.put("expiresAt", w.expiresAt().toString());
        }
        return audit.record(
                s,
                action,
                new AuditRecord.Target("Waiver", w.id(), w.clusterId()),
                AuditRecord.Outcome.success,
                details);
    }

    static String scope(Waiver w) {
        return (w.clusterId() == null ? "*" : w.clusterId()) + "/" + (w.namespace() == null ? "*" : w.namespace()) + "/"
                + (w.kind() == null ? "*" : w.kind()) + "/" + (w.name() == null ? "*" : w.name());
    }

    private static Waiver row(Object[] r) {
        var expires = PolicyStore.toOffset(r[7]);
        return new Waiver(
                (String) r[0],
                (String) r[1],
                (String) r[2],
                (String) r[3],
                (String) r[4],
                (String) r[5],
                (String) r[6],
                expires == null ? null : expires.toInstant(),
                (String) r[8],
                PolicyStore.toOffset(r[9]).toInstant());
    }
}
