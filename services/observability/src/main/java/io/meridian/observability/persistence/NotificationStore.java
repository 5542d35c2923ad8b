package io.meridian.observability.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import io.meridian.contracts.alert.AlertEvent;
import io.meridian.observability.domain.notify.GroupState;
import io.meridian.observability.domain.notify.NotifiableAlert;
import io.meridian.observability.domain.notify.Notification;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * What notifications are made of and where they wait: the alerts' last announced state, the planner's group
 * state, and the delivery queue, which is also the delivery log. A notification is stored under its dedup key,
 * so planning or replaying it again stores nothing.
 */
@ApplicationScoped
public class NotificationStore {

    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};
    private static final TypeReference<Set<String>> FINGERPRINTS = new TypeReference<>() {};
    private static final String DELIVERY_COLUMNS =
            "dedup_key, receiver, payload, status, attempts, next_attempt_at, last_error, created_at, updated_at";

    /** Where a queued notification stands. */
    public enum Status {
        PENDING,
        DELIVERED,
        FAILED;

        String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Status of(String column) {
            return valueOf(column.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** One row of the queue and log. {@code lastError} never carries a secret. */
    public record Delivery(
            String dedupKey,
            Notification notification,
            Status status,
            int attempts,
            Instant nextAttemptAt,
            String lastError,
            Instant createdAt,
            Instant updatedAt) {}

    /** What the delivery log is filtered by; null matches everything. */
    public record LogQuery(String alert, String receiver, Status status) {}

    private final Mutiny.SessionFactory sessions;
    private final Clock clock;

    NotificationStore(Mutiny.SessionFactory sessions, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    /** {@link #recordAlert(Mutiny.Session, NotifiableAlert, Instant)} in a transaction of its own. */
    public Uni<Boolean> recordAlert(NotifiableAlert alert, Instant announcedAt) {
        return sessions.withTransaction(session -> recordAlert(session, alert, announcedAt));
    }

    /**
     * Records the state an announcement carries; an announcement older than the stored one (a replay) changes
     * nothing, and a pending alert is not notifiable. True when it changed the stored state.
     */
    public Uni<Boolean> recordAlert(Mutiny.Session session, NotifiableAlert alert, Instant announcedAt) {
        if (alert.state() == AlertEvent.State.PENDING) {
            return Uni.createFrom().item(false);
        }
        return session.createNativeQuery("INSERT INTO notification_alert (fingerprint, state, labels, annotations,"
                        + " starts_at, ends_at, updated_at) VALUES (:fp, :state, :labels, :annotations, :starts,"
                        + " :ends, :at) ON CONFLICT (fingerprint) DO UPDATE SET state = EXCLUDED.state,"
                        + " labels = EXCLUDED.labels, annotations = EXCLUDED.annotations,"
                        + " starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at,"
                        + " updated_at = EXCLUDED.updated_at WHERE notification_alert.updated_at < EXCLUDED.updated_at")
                .setParameter("fp", alert.fingerprint())
                .setParameter("state", alert.firing() ? "firing" : "resolved")
                .setParameter("labels", Rows.json(alert.labels()))
                .setParameter("annotations", Rows.json(alert.annotations()))
                .setParameter("starts", Rows.timestamp(alert.startsAt()))
                .setParameter("ends", Rows.timestamp(alert.endsAt()))
                .setParameter("at", Rows.timestamp(announcedAt))
                .executeUpdate()
                .map(n -> n > 0);
    }

    /** The alerts as last announced. */
    public Uni<List<NotifiableAlert>> alerts(Mutiny.Session session) {
        return session.createNativeQuery(
                        "SELECT fingerprint, state, labels, annotations, starts_at, ends_at FROM notification_alert"
                                + " ORDER BY fingerprint",
                        Object[].class)
                .getResultList()
                .map(rows -> rows.stream()
                        .map(r -> new NotifiableAlert(
                                (String) r[0],
                                "firing".equals(r[1]) ? AlertEvent.State.FIRING : AlertEvent.State.RESOLVED,
                                Rows.json(r[2], LABELS),
                                Rows.json(r[3], LABELS),
                                Rows.instant(r[4]),
                                Rows.instant(r[5])))
                        .toList());
    }

    /** Forgets resolved alerts that ended before {@code before}: no group can still need them. */
    public Uni<Integer> forgetResolved(Mutiny.Session session, Instant before) {
        return session.createNativeQuery(
                        "DELETE FROM notification_alert WHERE state = 'resolved' AND updated_at < :before")
                .setParameter("before", Rows.timestamp(before))
                .executeUpdate();
    }

    /** Every group's state, by group key. */
    public Uni<Map<String, GroupState>> groups(Mutiny.Session session) {
        return session.createNativeQuery(
                        "SELECT receiver, group_key, group_labels, created_at, last_sent_at, last_firing, repeats"
                                + " FROM notification_group ORDER BY group_key",
                        Object[].class)
                .getResultList()
                .map(rows -> {
                    Map<String, GroupState> out = new LinkedHashMap<>();
                    for (Object[] r : rows) {
                        GroupState g = new GroupState(
                                (String) r[1],
                                (String) r[0],
                                Rows.json(r[2], LABELS),
                                Rows.instant(r[3]),
                                Rows.instant(r[4]),
                                Rows.json(r[5], FINGERPRINTS),
                                ((Number) r[6]).intValue());
                        out.put(g.groupKey(), g);
                    }
                    return out;
                });
    }

    /** Replaces every group's state with the planner's: groups absent from {@code groups} have ended. */
    public Uni<Void> replaceGroups(Mutiny.Session session, Map<String, GroupState> groups) {
        Uni<?> chain =
                session.createNativeQuery("DELETE FROM notification_group").executeUpdate();
        for (GroupState g : groups.values()) {
            chain = chain.chain(() -> session.createNativeQuery("INSERT INTO notification_group (receiver, group_key,"
                            + " group_labels, created_at, last_sent_at, last_firing, repeats) VALUES (:receiver,"
                            + " :key, :labels, :created, :sent, :firing, :repeats)")
                    .setParameter("receiver", g.receiver())
                    .setParameter("key", g.groupKey())
                    .setParameter("labels", Rows.json(g.groupLabels()))
                    .setParameter("created", Rows.timestamp(g.createdAt()))
                    .setParameter("sent", Rows.timestamp(g.lastSentAt()))
                    .setParameter("firing", Rows.json(new java.util.TreeSet<>(g.lastFiring())))
                    .setParameter("repeats", g.repeats())
                    .executeUpdate());
        }
        return chain.replaceWithVoid();
    }

    /** Queues a notification for delivery now; false when its dedup key is already queued or logged. */
    public Uni<Boolean> enqueue(Mutiny.Session session, Notification n) {
        Instant now = clock.instant();
        return session.createNativeQuery("INSERT INTO notification_delivery (dedup_key, receiver, group_key,"
                        + " notification, payload, status, attempts, next_attempt_at, created_at, updated_at) VALUES"
                        + " (:key, :receiver, :group, :notification, :payload, 'pending', 0, :now, :now, :now)"
                        + " ON CONFLICT (dedup_key) DO NOTHING")
                .setParameter("key", n.dedupKey())
                .setParameter("receiver", n.receiver())
                .setParameter("group", n.groupKey())
                .setParameter("notification", n.status().wire())
                .setParameter("payload", Rows.json(n))
                .setParameter("now", Rows.timestamp(now))
                .executeUpdate()
                .chain(inserted -> {
                    if (inserted == 0) {
                        return Uni.createFrom().item(false);
                    }
                    Uni<?> chain = Uni.createFrom().voidItem();
                    for (String fp : new HashSet<>(n.fingerprints())) {
                        chain = chain.chain(() -> session.createNativeQuery(
                                        "INSERT INTO notification_delivery_alert (fingerprint, dedup_key) VALUES"
                                                + " (:fp, :key)")
                                .setParameter("fp", fp)
                                .setParameter("key", n.dedupKey())
                                .executeUpdate());
                    }
                    return chain.replaceWith(true);
                });
    }

    /**
     * Pending notifications due now, oldest first; rows another replica is delivering are skipped, and the returned
     * ones stay locked until the transaction ends.
     */
    public Uni<List<Delivery>> lockDue(Mutiny.Session session, int limit) {
        return session.createNativeQuery(
                        "SELECT " + DELIVERY_COLUMNS + " FROM notification_delivery d"
                                + " WHERE status = 'pending' AND next_attempt_at <= :now"
                                + " ORDER BY next_attempt_at, created_at, dedup_key LIMIT :limit FOR UPDATE SKIP LOCKED",
                        Object[].class)
                .setParameter("now", Rows.timestamp(clock.instant()))
                .setParameter("limit", limit)
                .getResultList()
                .map(NotificationStore::deliveries);
    }

    /**
     * Pending notifications due now, at most {@code perReceiver} of each receiver (its oldest), so that one long queue
     * cannot fill the batch; locked as {@link #lockDue(Mutiny.Session, int)} locks them.
     */
    public Uni<List<Delivery>> lockDue(Mutiny.Session session, int limit, int perReceiver) {
        return session.createNativeQuery(
                        "SELECT " + DELIVERY_COLUMNS + " FROM notification_delivery d WHERE dedup_key IN (SELECT"
                                + " dedup_key FROM (SELECT dedup_key, row_number() OVER (PARTITION BY receiver ORDER"
                                + " BY next_attempt_at, created_at, dedup_key) AS turn FROM notification_delivery"
                                + " WHERE status = 'pending' AND next_attempt_at <= :now) q WHERE turn <= :per)"
                                + " AND status = 'pending' AND next_attempt_at <= :now"
                                + " ORDER BY next_attempt_at, created_at, dedup_key LIMIT :limit FOR UPDATE SKIP LOCKED",
                        Object[].class)
                .setParameter("now", Rows.timestamp(clock.instant()))
                .setParameter("per", perReceiver)
                .setParameter("limit", limit)
                .getResultList()
                .map(NotificationStore::deliveries);
    }

    /**
     * Claims locked notifications until {@code until}: no replica takes them again before then, and if this one stops
     * before recording the outcome they come due again then and are re-sent under the same dedup key.
     */
    public Uni<Void> claim(Mutiny.Session session, List<String> dedupKeys, Instant until) {
        Uni<?> chain = Uni.createFrom().voidItem();
        for (String key : dedupKeys) {
            chain = chain.chain(() -> session.createNativeQuery("UPDATE notification_delivery SET next_attempt_at ="
                            + " :until WHERE dedup_key = :key AND status = 'pending'")
                    .setParameter("until", Rows.timestamp(until))
                    .setParameter("key", key)
                    .executeUpdate());
        }
        return chain.replaceWithVoid();
    }

    /** Hands a claimed notification back, due at {@code at}, without counting an attempt. */
    public Uni<Void> release(Mutiny.Session session, String dedupKey, Instant at) {
        return session.createNativeQuery("UPDATE notification_delivery SET next_attempt_at = :at WHERE dedup_key = :key"
                        + " AND status = 'pending'")
                .setParameter("at", Rows.timestamp(at))
                .setParameter("key", dedupKey)
                .executeUpdate()
                .replaceWithVoid();
    }

    /** The delivery log newest first, one keyset page of {@code request} (keys are {@code <createdAt>|<dedupKey>}). */
    public Uni<io.meridian.servicekit.Page<Delivery>> log(LogQuery q, io.meridian.servicekit.PageRequest request) {
        StringBuilder where = new StringBuilder(" WHERE TRUE");
        Map<String, Object> params = new LinkedHashMap<>();
        if (q.alert() != null) {
            where.append(" AND d.dedup_key IN (SELECT dedup_key FROM notification_delivery_alert WHERE fingerprint ="
                    + " :alert)");
            params.put("alert", q.alert());
        }
        if (q.receiver() != null) {
            where.append(" AND d.receiver = :receiver");
            params.put("receiver", q.receiver());
        }
        if (q.status() != null) {
            where.append(" AND d.status = :status");
            params.put("status", q.status().column());
        }
        StringBuilder page = new StringBuilder(where);
        Map<String, Object> pageParams = new LinkedHashMap<>(params);
        if (request.after() != null) {
            int bar = request.after().indexOf('|');
            Instant at;
            try {
                at = bar < 0 ? null : Instant.parse(request.after().substring(0, bar));
            } catch (java.time.DateTimeException e) {
                at = null;
            }
            if (at == null) {
                return Uni.createFrom().failure(io.meridian.servicekit.PageRequest.invalidCursor());
            }
            page.append(" AND (d.created_at < :afterAt OR (d.created_at = :afterAt AND d.dedup_key < :afterKey))");
            pageParams.put("afterAt", Rows.timestamp(at));
            pageParams.put("afterKey", request.after().substring(bar + 1));
        }
        pageParams.put("limit", request.fetch());
        return sessions.withSession(session -> {
            var rows = session.createNativeQuery(
                    "SELECT " + DELIVERY_COLUMNS + " FROM notification_delivery d" + page
                            + " ORDER BY d.created_at DESC, d.dedup_key DESC LIMIT :limit",
                    Object[].class);
            pageParams.forEach(rows::setParameter);
            var count = session.createNativeQuery("SELECT count(*) FROM notification_delivery d" + where, Long.class);
            params.forEach(count::setParameter);
            return rows.getResultList()
                    .chain(found -> count.getSingleResult()
                            .map(total ->
                                    request.page(deliveries(found), total, d -> d.createdAt() + "|" + d.dedupKey())));
        });
    }

    /** Marks a notification delivered. */
    public Uni<Void> delivered(Mutiny.Session session, String dedupKey) {
        return session.createNativeQuery("UPDATE notification_delivery SET status = 'delivered', attempts = attempts"
                        + " + 1, last_error = NULL, updated_at = :now WHERE dedup_key = :key")
                .setParameter("now", Rows.timestamp(clock.instant()))
                .setParameter("key", dedupKey)
                .executeUpdate()
                .replaceWithVoid();
    }

    /**
     * Records a failed attempt: tried again at {@code retryAt}, or failed for good when null. {@code error} must
     * not carry a secret.
     */
    public Uni<Void> attemptFailed(Mutiny.Session session, String dedupKey, String error, Instant retryAt) {
        return session.createNativeQuery("UPDATE notification_delivery SET status = :status, attempts = attempts + 1,"
                        + " last_error = :error, next_attempt_at = COALESCE(:retry, next_attempt_at),"
                        + " updated_at = :now WHERE dedup_key = :key")
                .setParameter("status", retryAt == null ? Status.FAILED.column() : Status.PENDING.column())
                .setParameter("error", error)
                .setParameter("retry", Rows.timestamp(retryAt))
                .setParameter("now", Rows.timestamp(clock.instant()))
                .setParameter("key", dedupKey)
                .executeUpdate()
                .replaceWithVoid();
    }

    /** Defers every pending notification of a receiver to {@code until}: its back-off holds its whole queue. */
    public Uni<Void> deferReceiver(Mutiny.Session session, String receiver, Instant until) {
        return session.createNativeQuery("UPDATE notification_delivery SET next_attempt_at = :until WHERE receiver ="
                        + " :receiver AND status = 'pending' AND next_attempt_at < :until")
                .setParameter("until", Rows.timestamp(until))
                .setParameter("receiver", receiver)
                .executeUpdate()
                .replaceWithVoid();
    }

    /** One notification of the log. */
    public Uni<java.util.Optional<Delivery>> delivery(Mutiny.Session session, String dedupKey) {
        return session.createNativeQuery(
                        "SELECT " + DELIVERY_COLUMNS + " FROM notification_delivery WHERE dedup_key = :key",
                        Object[].class)
                .setParameter("key", dedupKey)
                .getResultList()
                .map(rows -> deliveries(rows).stream().findFirst());
    }

    private static List<Delivery> deliveries(List<Object[]> rows) {
        List<Delivery> out = new ArrayList<>();
        for (Object[] r : rows) {
            out.add(new Delivery(
                    (String) r[0],
                    Rows.json(r[2], Notification.class),
                    Status.of((String) r[3]),
                    ((Number) r[4]).intValue(),
                    Rows.instant(r[5]),
                    (String) r[6],
                    Rows.instant(r[7]),
                    Rows.instant(r[8])));
        }
        return out;
    }
}
