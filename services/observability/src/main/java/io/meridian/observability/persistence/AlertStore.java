package io.meridian.observability.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import io.meridian.contracts.alert.AlertEvent;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.eventing.audit.AuditTrail;
import io.meridian.observability.domain.Alert;
import io.meridian.servicekit.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hibernate.reactive.mutiny.Mutiny;

/** Alert state: one row per fingerprint, written by the evaluator, read and acknowledged through REST. */
@ApplicationScoped
public class AlertStore {

    /** List filters; null fields do not filter. */
    public record Filter(String state, String severity, String cluster, String alertname, Boolean acknowledged) {}

    private static final String COLUMNS = "fingerprint, rule, severity, labels, annotations, value, state,"
            + " active_since, fired_at, resolved_at, published, silenced_by, inhibited_by, acknowledged_by,"
            + " acknowledged_at";
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {};
    private static final TypeReference<List<String>> LIST = new TypeReference<>() {};

    private final Mutiny.SessionFactory sessions;
    private final AuditTrail audit;
    private final Clock clock;

    AlertStore(Mutiny.SessionFactory sessions, AuditTrail audit, Clock clock) {
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
    }

    /** The pending and firing alerts, by fingerprint. */
    public Uni<Map<String, Alert>> active(Mutiny.Session session) {
        return session.createNativeQuery("SELECT " + COLUMNS + " FROM alert WHERE state <> 'resolved'", Object[].class)
                .getResultList()
                .map(rows -> {
                    Map<String, Alert> out = new java.util.HashMap<>();
                    rows.forEach(r -> {
                        Alert a = alert(r);
                        out.put(a.fingerprint(), a);
                    });
                    return out;
                });
    }

    public Uni<Void> save(Mutiny.Session session, Alert a) {
        return session.createNativeQuery("INSERT INTO alert (" + COLUMNS + ", cluster, updated_at) VALUES"
                        + " (:fingerprint, :rule, :severity, :labels, :annotations, :value, :state, :activeSince,"
                        + " :firedAt, :resolvedAt, :published, :silencedBy, :inhibitedBy, :ackBy, :ackAt, :cluster,"
                        + " :now) ON CONFLICT (fingerprint) DO UPDATE SET rule = :rule, severity = :severity,"
                        + " labels = :labels, annotations = :annotations, value = :value, state = :state,"
                        + " active_since = :activeSince, fired_at = :firedAt, resolved_at = :resolvedAt,"
                        + " published = :published, silenced_by = :silencedBy, inhibited_by = :inhibitedBy,"
                        + " acknowledged_by = :ackBy, acknowledged_at = :ackAt, cluster = :cluster,"
                        + " updated_at = :now")
                .setParameter("fingerprint", a.fingerprint())
                .setParameter("rule", a.rule())
                .setParameter("severity", a.severity())
                .setParameter("labels", Rows.json(a.labels()))
                .setParameter("annotations", Rows.json(a.annotations()))
                .setParameter("value", a.value() == null || !Double.isFinite(a.value()) ? null : a.value())
                .setParameter("state", wire(a.state()))
                .setParameter("activeSince", Rows.timestamp(a.activeSince()))
                .setParameter("firedAt", Rows.timestamp(a.firedAt()))
                .setParameter("resolvedAt", Rows.timestamp(a.resolvedAt()))
                .setParameter("published", a.published() == null ? null : wire(a.published()))
                .setParameter("silencedBy", Rows.json(a.silencedBy()))
                .setParameter("inhibitedBy", Rows.json(a.inhibitedBy()))
                .setParameter("ackBy", a.acknowledgedBy())
                .setParameter("ackAt", Rows.timestamp(a.acknowledgedAt()))
                .setParameter("cluster", a.clusterId())
                .setParameter("now", OffsetDateTime.now(clock))
                .executeUpdate()
                .replaceWithVoid();
    }

    public Uni<List<Alert>> list(Filter filter, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM alert WHERE true");
        Map<String, Object> params = new java.util.HashMap<>();
        if (filter.state() != null) {
            sql.append(" AND state = :state");
            params.put("state", filter.state());
        }
        if (filter.severity() != null) {
            sql.append(" AND severity = :severity");
            params.put("severity", filter.severity());
        }
        if (filter.cluster() != null) {
            sql.append(" AND cluster = :cluster");
            params.put("cluster", filter.cluster());
        }
        if (filter.alertname() != null) {
            sql.append(" AND rule = :rule");
            params.put("rule", filter.alertname());
        }
        if (filter.acknowledged() != null) {
            sql.append(filter.acknowledged() ? " AND acknowledged_by IS NOT NULL" : " AND acknowledged_by IS NULL");
        }
        sql.append(" ORDER BY active_since DESC, fingerprint LIMIT :limit");
        params.put("limit", limit);
        return sessions.withSession(session -> {
                    var query = session.createNativeQuery(sql.toString(), Object[].class);
                    params.forEach(query::setParameter);
                    return query.getResultList();
                })
                .map(rows -> {
                    List<Alert> out = new ArrayList<>();
                    rows.forEach(r -> out.add(alert(r)));
                    return out;
                });
    }

    public Uni<Alert> get(String fingerprint) {
        return sessions.withSession(session -> find(session, fingerprint));
    }

    private Uni<Alert> find(Mutiny.Session session, String fingerprint) {
        return session.createNativeQuery("SELECT " + COLUMNS + " FROM alert WHERE fingerprint = :fp", Object[].class)
                .setParameter("fp", fingerprint)
                .getResultList()
                .map(rows -> {
                    if (rows.isEmpty()) {
                        throw ProblemException.notFound("alert " + fingerprint);
                    }
                    return alert(rows.getFirst());
                });
    }

    /** Records who acknowledged an alert; acknowledging twice keeps the first acknowledgement. */
    public Uni<Alert> acknowledge(String fingerprint, String comment) {
        return sessions.withTransaction(session -> find(session, fingerprint).chain(found -> {
            if (found.acknowledgedBy() != null) {
                return Uni.createFrom().item(found);
            }
            return audit.record(
                            session,
                            "alert.acknowledged",
                            new AuditRecord.Target("Alert", fingerprint, found.clusterId()),
                            AuditRecord.Outcome.success,
                            comment == null
                                    ? Map.of("alertname", found.rule())
                                    : Map.of("alertname", found.rule(), "comment", comment))
                    .chain(record -> {
                        Alert acked = found.acknowledged(record.actor().name(), clock.instant());
                        return session.createNativeQuery("UPDATE alert SET acknowledged_by = :by, acknowledged_at"
                                        + " = :at WHERE fingerprint = :fp")
                                .setParameter("by", acked.acknowledgedBy())
                                .setParameter("at", Rows.timestamp(acked.acknowledgedAt()))
                                .setParameter("fp", fingerprint)
                                .executeUpdate()
                                .replaceWith(acked);
                    });
        }));
    }

    public Uni<Integer> purgeResolved(Duration retention) {
        return sessions.withTransaction(session -> session.createNativeQuery(
                        "DELETE FROM alert WHERE state = 'resolved' AND resolved_at < :cutoff")
                .setParameter("cutoff", OffsetDateTime.now(clock).minus(retention))
                .executeUpdate());
    }

    public Uni<Long> countFiring() {
        return sessions.withSession(
                session -> session.createNativeQuery("SELECT count(*) FROM alert WHERE state = 'firing'", Long.class)
                        .getSingleResult());
    }

    static String wire(AlertEvent.State state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    private static Alert alert(Object[] r) {
        return new Alert(
                (String) r[0],
                (String) r[1],
                (String) r[2],
                Rows.json(r[3], MAP),
                Rows.json(r[4], MAP),
                r[5] == null ? null : ((Number) r[5]).doubleValue(),
                AlertEvent.State.valueOf(((String) r[6]).toUpperCase(Locale.ROOT)),
                Rows.instant(r[7]),
                Rows.instant(r[8]),
                Rows.instant(r[9]),
                r[10] == null ? null : AlertEvent.State.valueOf(((String) r[10]).toUpperCase(Locale.ROOT)),
                Rows.json(r[11], LIST),
                Rows.json(r[12], LIST),
                (String) r[13],
                Rows.instant(r[14]));
    }
}
