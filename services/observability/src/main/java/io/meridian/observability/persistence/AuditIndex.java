package io.meridian.observability.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import io.meridian.contracts.audit.AuditRecord;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The searchable copy of every service's audit topic (fleet.audit.<service>.v1). Stored once per record id, so a
 * redelivered or replayed record changes nothing; read newest first in a stable order (time, then id) with an opaque
 * cursor.
 */
@ApplicationScoped
public class AuditIndex {

    /** Query filters; null fields do not filter. {@code target} is a target name or {@code kind/name}. */
    public record Query(String actor, String cluster, String action, String target, Instant from, Instant to) {}

    /** An indexed record with the id of the event that carried it. */
    public record Entry(String eventId, AuditRecord record) {}

    /** A page, newest first, and the cursor of the next one. */
    public record Page(List<Entry> items, Optional<String> nextCursor) {}

    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {};

    private final Mutiny.SessionFactory sessions;
    private final Clock clock;

    AuditIndex(Mutiny.SessionFactory sessions, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    /** Stores a record; true if it was new. */
    public Uni<Boolean> store(String eventId, AuditRecord r) {
        return sessions.withTransaction(session -> session.createNativeQuery("INSERT INTO audit_entry (id, event_id,"
                                + " actor_type, actor, action, target_kind, target_name, cluster, outcome,"
                                + " correlation_id, service, at, details) VALUES (:id, :eventId, :actorType, :actor,"
                                + " :action, :kind, :name, :cluster, :outcome, :correlation, :service, :at, :details)"
                                + " ON CONFLICT (id) DO NOTHING")
                        .setParameter("id", r.id())
                        .setParameter("eventId", eventId)
                        .setParameter("actorType", r.actor().type().name())
                        .setParameter("actor", r.actor().name())
                        .setParameter("action", r.action())
                        .setParameter("kind", r.target().kind())
                        .setParameter("name", r.target().name())
                        .setParameter("cluster", r.target().clusterId())
                        .setParameter("outcome", r.outcome().name())
                        .setParameter("correlation", r.correlationId())
                        .setParameter("service", r.service())
                        .setParameter("at", Rows.timestamp(r.at()))
                        .setParameter("details", Rows.json(r.details()))
                        .executeUpdate())
                .map(inserted -> inserted == 1);
    }

    public Uni<Page> query(Query q, int limit, String cursor) {
        StringBuilder sql = new StringBuilder("SELECT event_id, id, actor_type, actor, action, target_kind,"
                + " target_name, cluster, outcome, correlation_id, service, at, details FROM audit_entry WHERE true");
        Map<String, Object> params = new HashMap<>();
        if (q.actor() != null) {
            sql.append(" AND actor = :actor");
            params.put("actor", q.actor());
        }
        if (q.cluster() != null) {
            sql.append(" AND cluster = :cluster");
            params.put("cluster", q.cluster());
        }
        if (q.action() != null) {
            sql.append(" AND action = :action");
            params.put("action", q.action());
        }
        if (q.target() != null) {
            int slash = q.target().indexOf('/');
            if (slash > 0) {
                sql.append(" AND target_kind = :kind AND target_name = :name");
                params.put("kind", q.target().substring(0, slash));
                params.put("name", q.target().substring(slash + 1));
            } else {
                sql.append(" AND target_name = :name");
                params.put("name", q.target());
            }
        }
        if (q.from() != null) {
            sql.append(" AND at >= :from");
            params.put("from", Rows.timestamp(q.from()));
        }
        if (q.to() != null) {
            sql.append(" AND at < :to");
            params.put("to", Rows.timestamp(q.to()));
        }
        if (cursor != null) {
            Cursor c = Cursor.decode(cursor);
            sql.append(" AND (at < :cursorAt OR (at = :cursorAt AND id < :cursorId))");
            params.put("cursorAt", Rows.timestamp(c.at()));
            params.put("cursorId", c.id());
        }
        sql.append(" ORDER BY at DESC, id DESC LIMIT :limit");
        params.put("limit", limit + 1);
        return sessions.withSession(session -> {
                    var query = session.createNativeQuery(sql.toString(), Object[].class);
                    params.forEach(query::setParameter);
                    return query.getResultList();
                })
                .map(rows -> {
                    List<Entry> items = new ArrayList<>();
                    for (int i = 0; i < Math.min(limit, rows.size()); i++) {
                        items.add(entry(rows.get(i)));
                    }
                    Optional<String> next = Optional.empty();
                    if (rows.size() > limit) {
                        AuditRecord last = items.getLast().record();
                        next = Optional.of(new Cursor(last.at(), last.id()).encode());
                    }
                    return new Page(List.copyOf(items), next);
                });
    }

    /** Deletes records older than the retention; returns how many. */
    public Uni<Integer> purgeOlderThan(Duration retention) {
        return sessions.withTransaction(
                session -> session.createNativeQuery("DELETE FROM audit_entry WHERE at < :cutoff")
                        .setParameter("cutoff", OffsetDateTime.now(clock).minus(retention))
                        .executeUpdate());
    }

    private static Entry entry(Object[] r) {
        return new Entry(
                (String) r[0],
                new AuditRecord(
                        (String) r[1],
                        new AuditRecord.Actor(AuditRecord.ActorType.valueOf((String) r[2]), (String) r[3]),
                        (String) r[4],
                        new AuditRecord.Target((String) r[5], (String) r[6], (String) r[7]),
                        AuditRecord.Outcome.valueOf((String) r[8]),
                        (String) r[9],
                        (String) r[10],
                        Rows.instant(r[11]),
                        Rows.json(r[12], MAP)));
    }

    /** Position after the last record of a page: its time and id, opaque to clients. */
    record Cursor(Instant at, String id) {
        String encode() {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString((at.toString() + "|" + id).getBytes(StandardCharsets.UTF_8));
        }

        /** The cursor, or IllegalArgumentException when it was not made by {@link #encode}. */
        static Cursor decode(String text) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
                int bar = raw.indexOf('|');
                return new Cursor(Instant.parse(raw.substring(0, bar)), raw.substring(bar + 1));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("is not a cursor this API returned");
            }
        }
    }

    /** Checks a cursor before querying, so a bad one is the caller's 400. */
    public static boolean validCursor(String text) {
        try {
            Cursor.decode(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
