package io.meridian.cost.reconcile;

import io.meridian.contracts.cost.BudgetEvent;
import io.meridian.cost.domain.BudgetStatus;
import io.meridian.cost.domain.TimeWindow;
import io.meridian.cost.domain.UsageLedger;
import io.meridian.cost.persistence.BudgetStore;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Compares every budget's month-to-date spend and forecast with its amount and announces each threshold crossed
 * once per month (80 %, 100 %, forecast over budget) as a BudgetEvent through the outbox.
 */
@ApplicationScoped
public class BudgetWatch {

    private static final Logger LOG = Logger.getLogger(BudgetWatch.class);

    private final BudgetStore budgets;
    private final CostQueries queries;
    private final Clock clock;

    BudgetWatch(BudgetStore budgets, CostQueries queries, Clock clock) {
        this.budgets = budgets;
        this.queries = queries;
        this.clock = clock;
    }

    @Scheduled(
            every = "${meridian.cost.budgets.check-every:30s}",
            delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        return checkAll()
                .onFailure()
                .invoke(e -> LOG.warnf(e, "budget check failed; the next tick tries again"))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** Checks every budget; returns how many thresholds this call announced. */
    public Uni<Integer> checkAll() {
        return budgets.all()
                .onItem()
                .transformToMulti(list -> Multi.createFrom().iterable(list))
                .onItem()
                .transformToUniAndConcatenate(this::check)
                .collect()
                .with(java.util.stream.Collectors.summingInt(Integer::intValue));
    }

    /** The status of one budget now. */
    public Uni<BudgetStatus> status(BudgetStore.Budget budget) {
        Instant now = clock.instant();
        TimeWindow month = new TimeWindow(
                BudgetStatus.monthStart(now), UsageLedger.hourOf(now).plus(UsageLedger.HOUR));
        return queries.spend(budget.scope(), month)
                .chain(spend -> queries.dataSince(month.start())
                        .map(since -> BudgetStatus.of(budget.monthlyAmount(), spend, now, since)));
    }

    private Uni<Integer> check(BudgetStore.Budget budget) {
        Instant now = clock.instant();
        return status(budget)
                .chain(status -> Multi.createFrom()
                        .iterable(status.crossed())
                        .onItem()
                        .transformToUniAndConcatenate(threshold -> budgets.announce(
                                        budget,
                                        BudgetStatus.month(now),
                                        new BudgetEvent(
                                                budget.id(),
                                                budget.scope(),
                                                threshold,
                                                budget.monthlyAmount(),
                                                status.spendToDate(),
                                                status.forecast(),
                                                budget.currency(),
                                                now))
                                .invoke(announced -> {
                                    if (announced) {
                                        LOG.infof(
                                                "budget %s (%s) crossed %s: spend %.4f, forecast %.4f of %.2f",
                                                budget.name(),
                                                budget.scope(),
                                                threshold,
                                                status.spendToDate(),
                                                status.forecast(),
                                                budget.monthlyAmount());
                                    }
                                }))
                        .collect()
                        .asList()
                        .map(list -> (int)
                                list.stream().filter(Boolean::booleanValue).count()));
    }
}
