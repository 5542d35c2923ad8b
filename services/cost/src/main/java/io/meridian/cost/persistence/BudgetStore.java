package io.meridian.cost.persistence;

import io.meridian.contracts.EventType;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.contracts.cost.BudgetEvent;
import io.meridian.eventing.audit.AuditTrail;
import io.meridian.eventing.outbox.Outbox;
import io.meridian.servicekit.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/** Budgets and the thresholds already announced; a notice and its {@code fleet.cost.v1} event commit together. */
@ApplicationScoped
public class BudgetStore {

    /** A budget as stored. */
    public record Budget(
            String id, String name, String scope, double monthlyAmount, String currency, Instant createdAt) {}

    private final Mutiny.SessionFactory sessions;
    private final Outbox outbox;
    private final AuditTrail audit;
    private final Clock clock;

    BudgetStore(Mutiny.SessionFactory sessions, Outbox outbox, AuditTrail audit, Clock clock) {
        this.sessions = sessions;
        this.outbox = outbox;
        this.audit = audit;
        this.clock = clock;
    }

    public Uni<Budget> create(String name, String scope, double amount, String currency, String actor) {
        Budget budget = new Budget(UUID.randomUUID().toString(), name, scope, amount, currency, clock.instant());
        OffsetDateTime now = OffsetDateTime.now(clock);
        return sessions.withTransaction(session -> session.createNativeQuery(
                                "INSERT INTO budget (id, name, scope, monthly_amount, currency, created_by, created_at,"
                                        + " updated_at) VALUES (:id, :name, :scope, :amount, :currency, :by, :at, :at)")
                        .setParameter("id", budget.id())
                        .setParameter("name", name)
                        .setParameter("scope", scope)
                        .setParameter("amount", amount)
                        .setParameter("currency", currency)
                        .setParameter("by", actor)
                        .setParameter("at", now)
                        .executeUpdate()
                        .chain(() -> audit.record(
                                session,
                                "budget.created",
                                new AuditRecord.Target("Budget", budget.id(), null),
                                AuditRecord.Outcome.success,
                                Map.of("name", name, "scope", scope, "monthlyAmount", Double.toString(amount)))))
                .replaceWith(budget);
    }

    public Uni<Budget> updateAmount(String id, double amount) {
        return sessions.withTransaction(session -> session.createNativeQuery(
                                "UPDATE budget SET monthly_amount = :amount, updated_at = :at WHERE id = :id")
                        .setParameter("id", id)
                        .setParameter("amount", amount)
                        .setParameter("at", OffsetDateTime.now(clock))
                        .executeUpdate()
                        .chain(n -> n == 0
                                ? Uni.createFrom().failure(ProblemException.notFound("Budget '" + id + "'"))
                                : audit.record(
                                        session,
                                        "budget.updated",
                                        new AuditRecord.Target("Budget", id, null),
                                        AuditRecord.Outcome.success,
                                        Map.of("monthlyAmount", Double.toString(amount)))))
                .chain(() -> get(id));
    }

    public Uni<Void> delete(String id) {
        return sessions.withTransaction(session -> session.createNativeQuery("DELETE FROM budget WHERE id = :id")
                .setParameter("id", id)
                .executeUpdate()
                .chain(n -> n == 0
                        ? Uni.createFrom().failure(ProblemException.notFound("Budget '" + id + "'"))
                        : audit.record(
                                        session,
                                        "budget.deleted",
                                        new AuditRecord.Target("Budget", id, null),
                                        AuditRecord.Outcome.success,
                                        Map.of())
                                .replaceWithVoid()));
    }

    public Uni<List<Budget>> all() {
        return sessions.withSession(session -> session.createNativeQuery(
                                "SELECT id, name, scope, monthly_amount, currency, created_at FROM budget ORDER BY name, id",
                                Object[].class)
                        .getResultList())
                .map(rows -> rows.stream().map(BudgetStore::budget).toList());
    }

    public Uni<Budget> get(String id) {
        return sessions.withSession(session -> session.createNativeQuery(
                                "SELECT id, name, scope, monthly_amount, currency, created_at FROM budget WHERE id = :id",
                                Object[].class)
                        .setParameter("id", id)
                        .getResultList())
                .map(rows -> {
                    if (rows.isEmpty()) {
                        throw ProblemException.notFound("Budget '" + id + "'");
                    }
                    return budget(rows.getFirst());
                });
    }

    /**
     * Announces a threshold of a budget for a month, once: the notice row and the event commit together, a repeat
     * finds the row and does nothing.
     *
     * @return whether this call announced it
     */
    public Uni<Boolean> announce(Budget budget, String month, BudgetEvent event) {
        return sessions.withTransaction(session -> session.createNativeQuery(
                        "INSERT INTO budget_notice (budget_id, month, threshold, spend, forecast, noticed_at)"
                                + " VALUES (:id, :month, :threshold, :spend, :forecast, :at) ON CONFLICT DO NOTHING")
                .setParameter("id", budget.id())
                .setParameter("month", month)
                .setParameter("threshold", event.threshold().name())
                .setParameter("spend", event.spendToDate())
                .setParameter("forecast", event.forecast())
                .setParameter("at", OffsetDateTime.now(clock))
                .executeUpdate()
                .chain(inserted -> inserted == 0
                        ? Uni.createFrom().item(false)
                        : outbox.append(session, EventType.BUDGET_THRESHOLD_CROSSED, event.key(), budget.name(), event)
                                .chain(() -> audit.recordAs(
                                        session,
                                        audit.serviceActor(),
                                        "budget.threshold.crossed",
                                        new AuditRecord.Target("Budget", budget.id(), null),
                                        AuditRecord.Outcome.success,
                                        Map.of(
                                                "threshold", event.threshold().name(),
                                                "month", month,
                                                "spendToDate", String.format(Locale.ROOT, "%.4f", event.spendToDate()),
                                                "forecast", String.format(Locale.ROOT, "%.4f", event.forecast()))))
                                .replaceWith(true)));
    }

    /** Thresholds announced for a budget in a month. */
    public Uni<List<String>> announced(String id, String month) {
        return sessions.withSession(session -> session.createNativeQuery(
                        "SELECT threshold FROM budget_notice WHERE budget_id = :id AND month = :month ORDER BY noticed_at",
                        String.class)
                .setParameter("id", id)
                .setParameter("month", month)
                .getResultList());
    }

    private static Budget budget(Object[] r) {
        return new Budget(
                (String) r[0],
                (String) r[1],
                (String) r[2],
                ((Number) r[3]).doubleValue(),
                (String) r[4],
                instant(r[5]));
    }

    static Instant instant(Object value) {
        return switch (value) {
            case OffsetDateTime t -> t.toInstant();
            case Instant i -> i;
            case java.time.LocalDateTime l -> l.toInstant(java.time.ZoneOffset.UTC);
            case java.time.ZonedDateTime z -> z.toInstant();
            case java.sql.Timestamp ts -> ts.toInstant();
            default -> throw new IllegalStateException("not a timestamp: " + value);
        };
    }
}
