package io.meridian.observability.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.eventing.audit.AuditTrail;
import io.meridian.observability.domain.LabelMatcher;
import io.meridian.observability.domain.RuleSpec;
import io.meridian.observability.domain.Silence;
import io.meridian.servicekit.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/** Silences with their expiry; creating and expiring one is audited. */
@ApplicationScoped
public class SilenceStore {

    private static final TypeReference<List<RuleSpec.MatcherSpec>> MATCHERS = new TypeReference<>() {};
    private static final String COLUMNS = "id, matchers, starts_at, ends_at, created_by, comment, created_at";

    private final Mutiny.SessionFactory sessions;
    private final AuditTrail audit;
    private final Clock clock;

    SilenceStore(Mutiny.SessionFactory sessions, AuditTrail audit, Clock clock) {
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
    }

    public Uni<Silence> create(List<LabelMatcher> matchers, Instant startsAt, Instant endsAt, String comment) {
        String id = UUID.randomUUID().toString();
        return sessions.withTransaction(session -> audit.record(
                        session,
                        "silence.created",
                        new AuditRecord.Target("Silence", id, clusterOf(matchers)),
                        AuditRecord.Outcome.success,
                        Map.of("matchers", matchers.toString(), "endsAt", endsAt.toString()))
                .chain(record -> {
                    Silence silence = new Silence(
                            id, matchers, startsAt, endsAt, record.actor().name(), comment, clock.instant());
                    return session.createNativeQuery("INSERT INTO silence (" + COLUMNS + ") VALUES (:id, :matchers,"
                                    + " :startsAt, :endsAt, :by, :comment, :createdAt)")
                            .setParameter("id", id)
                            .setParameter("matchers", Rows.json(specs(matchers)))
                            .setParameter("startsAt", Rows.timestamp(startsAt))
                            .setParameter("endsAt", Rows.timestamp(endsAt))
                            .setParameter("by", silence.createdBy())
                            .setParameter("comment", comment)
                            .setParameter("createdAt", Rows.timestamp(silence.createdAt()))
                            .executeUpdate()
                            .replaceWith(silence);
                }));
    }

    /** Ends a silence now; an already expired silence stays as it was. */
    public Uni<Silence> expire(String id) {
        return sessions.withTransaction(session -> find(session, id).chain(found -> {
            Instant now = clock.instant();
            if (!found.endsAt().isAfter(now)) {
                return Uni.createFrom().item(found);
            }
            Silence expired = new Silence(
                    found.id(),
                    found.matchers(),
                    found.startsAt().isAfter(now) ? now : found.startsAt(),
                    now,
                    found.createdBy(),
                    found.comment(),
                    found.createdAt());
            return audit.record(
                            session,
                            "silence.expired",
                            new AuditRecord.Target("Silence", id, clusterOf(found.matchers())),
                            AuditRecord.Outcome.success,
                            Map.of())
                    .chain(() -> session.createNativeQuery(
                                    "UPDATE silence SET ends_at = :now, starts_at = :startsAt WHERE id = :id")
                            .setParameter("now", Rows.timestamp(now))
                            .setParameter("startsAt", Rows.timestamp(expired.startsAt()))
                            .setParameter("id", id)
                            .executeUpdate())
                    .replaceWith(expired);
        }));
    }

    public Uni<Silence> get(String id) {
        return sessions.withSession(session -> find(session, id));
    }

    /** Silences that have not ended yet (active or scheduled), or all of them. */
    public Uni<List<Silence>> list(boolean includeExpired) {
        return sessions.withSession(session -> current(session, includeExpired));
    }

    public Uni<List<Silence>> current(Mutiny.Session session, boolean includeExpired) {
        String sql = "SELECT " + COLUMNS + " FROM silence" + (includeExpired ? "" : " WHERE ends_at > :now")
                + " ORDER BY starts_at DESC, id LIMIT 1000";
        var query = session.createNativeQuery(sql, Object[].class);
        if (!includeExpired) {
            query.setParameter("now", OffsetDateTime.now(clock));
        }
        return query.getResultList().map(rows -> {
            List<Silence> out = new ArrayList<>();
            rows.forEach(r -> out.add(silence(r)));
            return out;
        });
    }

    private Uni<Silence> find(Mutiny.Session session, String id) {
        return session.createNativeQuery("SELECT " + COLUMNS + " FROM silence WHERE id = :id", Object[].class)
                .setParameter("id", id)
                .getResultList()
                .map(rows -> {
                    if (rows.isEmpty()) {
                        throw ProblemException.notFound("silence " + id);
                    }
                    return silence(rows.getFirst());
                });
    }

    private static Silence silence(Object[] r) {
        List<LabelMatcher> matchers = new ArrayList<>();
        for (RuleSpec.MatcherSpec m : Rows.json(r[1], MATCHERS)) {
            matchers.add(
                    LabelMatcher.restore(m.label(), LabelMatcher.Op.of(m.op()).orElseThrow(), m.value()));
        }
        return new Silence(
                (String) r[0],
                matchers,
                Rows.instant(r[2]),
                Rows.instant(r[3]),
                (String) r[4],
                (String) r[5],
                Rows.instant(r[6]));
    }

    public static List<RuleSpec.MatcherSpec> specs(List<LabelMatcher> matchers) {
        return matchers.stream()
                .map(m -> new RuleSpec.MatcherSpec(m.label(), m.op().symbol(), m.value()))
                .toList();
    }

    private static String clusterOf(List<LabelMatcher> matchers) {
        return matchers.stream()
                .filter(m -> m.label().equals("cluster") && m.op() == LabelMatcher.Op.EQ)
                .map(LabelMatcher::value)
                .findFirst()
                .orElse(null);
    }
}
