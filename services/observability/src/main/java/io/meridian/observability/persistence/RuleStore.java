package io.meridian.observability.persistence;

import io.meridian.contracts.audit.AuditRecord;
import io.meridian.eventing.audit.AuditTrail;
import io.meridian.observability.domain.AlertRule;
import io.meridian.observability.domain.RuleCompiler;
import io.meridian.observability.domain.RuleSpec;
import io.meridian.servicekit.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/** Custom alert rules: each change is one transaction with its audit record. */
@ApplicationScoped
public class RuleStore {

    private static final Logger LOG = Logger.getLogger(RuleStore.class);

    private final Mutiny.SessionFactory sessions;
    private final AuditTrail audit;
    private final Clock clock;

    RuleStore(Mutiny.SessionFactory sessions, AuditTrail audit, Clock clock) {
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
    }

    /** Every stored rule that still compiles (a rule invalidated by a newer version is logged and skipped). */
    public Uni<List<AlertRule>> all(Mutiny.Session session) {
        return session.createNativeQuery("SELECT name, spec FROM alert_rule ORDER BY name", Object[].class)
                .getResultList()
                .map(rows -> {
                    List<AlertRule> out = new ArrayList<>();
                    for (Object[] r : rows) {
                        RuleCompiler.Result result = RuleCompiler.compile(Rows.json(r[1], RuleSpec.class), false);
                        if (result.valid()) {
                            out.add(result.rule());
                        } else {
                            LOG.warnf("stored rule %s no longer validates and is skipped: %s", r[0], result.problems());
                        }
                    }
                    return out;
                });
    }

    public Uni<List<AlertRule>> all() {
        return sessions.withSession(this::all);
    }

    public Uni<AlertRule> create(AlertRule rule) {
        return sessions.withTransaction(session -> exists(session, rule.name()).chain(exists -> {
            if (exists) {
                throw ProblemException.conflict("alert rule " + rule.name() + " already exists");
            }
            OffsetDateTime now = OffsetDateTime.now(clock);
            return audit.record(
                            session,
                            "alert-rule.created",
                            target(rule.name()),
                            AuditRecord.Outcome.success,
                            details(rule))
                    .chain(record -> session.createNativeQuery("INSERT INTO alert_rule (name, spec, created_by,"
                                    + " created_at, updated_at) VALUES (:name, :spec, :by, :now, :now)")
                            .setParameter("name", rule.name())
                            .setParameter("spec", Rows.json(rule.spec()))
                            .setParameter("by", record.actor().name())
                            .setParameter("now", now)
                            .executeUpdate())
                    .replaceWith(rule);
        }));
    }

    public Uni<AlertRule> update(AlertRule rule) {
        return sessions.withTransaction(session -> session.createNativeQuery(
                        "UPDATE alert_rule SET spec = :spec, updated_at = :now WHERE name = :name")
                .setParameter("spec", Rows.json(rule.spec()))
                .setParameter("now", OffsetDateTime.now(clock))
                .setParameter("name", rule.name())
                .executeUpdate()
                .chain(updated -> {
                    if (updated == 0) {
                        throw ProblemException.notFound("alert rule " + rule.name());
                    }
                    return audit.record(
                            session,
                            "alert-rule.updated",
                            target(rule.name()),
                            AuditRecord.Outcome.success,
                            details(rule));
                })
                .replaceWith(rule));
    }

    public Uni<Void> delete(String name) {
        return sessions.withTransaction(session -> session.createNativeQuery(
                        "DELETE FROM alert_rule WHERE name = :name")
                .setParameter("name", name)
                .executeUpdate()
                .chain(deleted -> {
                    if (deleted == 0) {
                        throw ProblemException.notFound("alert rule " + name);
                    }
                    return audit.record(
                            session, "alert-rule.deleted", target(name), AuditRecord.Outcome.success, Map.of());
                })
                .replaceWithVoid());
    }

    private static Uni<Boolean> exists(Mutiny.Session session, String name) {
        return session.createNativeQuery("SELECT name FROM alert_rule WHERE name = :name", String.class)
                .setParameter("name", name)
                .getResultList()
                .map(rows -> !rows.isEmpty());
    }

    private static AuditRecord.Target target(String name) {
        return new AuditRecord.Target("AlertRule", name, null);
    }

    private static Map<String, String> details(AlertRule rule) {
        return Map.of(
                "severity",
                rule.severity(),
                "op",
                rule.op().symbol(),
                "threshold",
                Double.toString(rule.threshold()),
                "for",
                rule.forDuration().toString());
    }
}
