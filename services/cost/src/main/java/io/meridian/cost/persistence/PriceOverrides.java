package io.meridian.cost.persistence;

import io.meridian.contracts.audit.AuditRecord;
import io.meridian.cost.domain.PriceOverride;
import io.meridian.eventing.audit.AuditTrail;
import io.meridian.servicekit.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.hibernate.reactive.mutiny.Mutiny;

/** Operators' price overrides: persisted, and audited in the same transaction. */
@ApplicationScoped
public class PriceOverrides {

    private final Mutiny.SessionFactory sessions;
    private final AuditTrail audit;
    private final Clock clock;

    PriceOverrides(Mutiny.SessionFactory sessions, AuditTrail audit, Clock clock) {
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
    }

    public Uni<List<PriceOverride>> all() {
        return sessions.withSession(session -> session.createNativeQuery(
                                "SELECT kind, cloud, region, key, price FROM price_override ORDER BY id",
                                Object[].class)
                        .getResultList())
                .map(rows -> rows.stream()
                        .map(r -> new PriceOverride(
                                PriceOverride.Kind.parse((String) r[0]),
                                (String) r[1],
                                (String) r[2],
                                (String) r[3],
                                ((Number) r[4]).doubleValue()))
                        .toList());
    }

    /** Sets a price; returns whether it replaced an earlier override. */
    public Uni<Boolean> put(PriceOverride override, String note, String actor) {
        return sessions.withTransaction(session -> session.createNativeQuery(
                        "SELECT price FROM price_override WHERE id = :id", Object.class)
                .setParameter("id", override.id())
                .getResultList()
                .chain(existing -> session.createNativeQuery(
                                "INSERT INTO price_override (id, kind, cloud, region, key, price, note, updated_by,"
                                        + " updated_at) VALUES (:id, :kind, :cloud, :region, :key, :price, :note,"
                                        + " :by, :at) ON CONFLICT (id) DO UPDATE SET price = :price, note = :note,"
                                        + " updated_by = :by, updated_at = :at")
                        .setParameter("id", override.id())
                        .setParameter("kind", override.kind().name())
                        .setParameter("cloud", override.cloud())
                        .setParameter("region", override.region())
                        .setParameter("key", override.key())
                        .setParameter("price", override.price())
                        .setParameter("note", note)
                        .setParameter("by", actor)
                        .setParameter("at", OffsetDateTime.now(clock))
                        .executeUpdate()
                        .chain(() -> audit.record(
                                session,
                                existing.isEmpty() ? "price.override.created" : "price.override.updated",
                                new AuditRecord.Target("PriceOverride", override.id(), null),
                                AuditRecord.Outcome.success,
                                Map.of(
                                        "price",
                                        Double.toString(override.price()),
                                        "previous",
                                        existing.isEmpty() ? "" : String.valueOf(existing.getFirst()))))
                        .replaceWith(!existing.isEmpty())));
    }

    public Uni<Void> delete(String id) {
        return sessions.withTransaction(session -> session.createNativeQuery(
                        "DELETE FROM price_override WHERE id = :id")
                .setParameter("id", id)
                .executeUpdate()
                .chain(n -> n == 0
                        ? Uni.createFrom().failure(ProblemException.notFound("Price override '" + id + "'"))
                        : audit.record(
                                        session,
                                        "price.override.deleted",
                                        new AuditRecord.Target("PriceOverride", id, null),
                                        AuditRecord.Outcome.success,
                                        Map.of())
                                .replaceWithVoid()));
    }
}
