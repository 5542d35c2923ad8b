package io.meridian.observability.reconcile;

import io.meridian.contracts.EventType;
import io.meridian.contracts.alert.AlertEvent;
import io.meridian.eventing.Await;
import io.meridian.eventing.catchup.FleetViewCatchUp;
import io.meridian.eventing.outbox.Outbox;
import io.meridian.observability.config.ObservabilityConfig;
import io.meridian.observability.domain.Alert;
import io.meridian.observability.domain.AlertLifecycle;
import io.meridian.observability.domain.AlertRule;
import io.meridian.observability.domain.BuiltInRules;
import io.meridian.observability.domain.RuleEvaluator;
import io.meridian.observability.persistence.AlertStore;
import io.meridian.observability.persistence.RuleStore;
import io.meridian.observability.persistence.SilenceStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Evaluates every rule over the fleet on an interval and applies the lifecycle step in one transaction:
 * alert rows and their announcements (through the outbox) commit together. One replica at a time
 * evaluates, by a transaction-scoped advisory lock; the state is in the database, so any replica can take
 * the next turn and a restart neither loses nor re-announces an alert.
 */
@ApplicationScoped
public class AlertEvaluator {

    private static final Logger LOG = Logger.getLogger(AlertEvaluator.class);

    /** Advisory lock key of the evaluator ("obs-alrt"). */
    static final long LOCK_KEY = 0x6f62732d616c7274L;

    /** Alert changes stored per evaluation; see {@link #bounded}. */
    static final int MAX_CHANGES = 500;

    private final Mutiny.SessionFactory sessions;
    private final RuleStore rules;
    private final SilenceStore silences;
    private final AlertStore alerts;
    private final Outbox outbox;
    private final RuleEvaluator evaluator;
    private final BuiltInRules.Settings builtIns;
    private final FleetViewCatchUp catchUp;
    private final ObservabilityConfig config;
    private final Clock clock;
    private final Instant startedAt;
    private final Timer duration;
    private final Counter announced;

    AlertEvaluator(
            Mutiny.SessionFactory sessions,
            RuleStore rules,
            SilenceStore silences,
            AlertStore alerts,
            Outbox outbox,
            RuleEvaluator evaluator,
            BuiltInRules.Settings builtIns,
            FleetViewCatchUp catchUp,
            ObservabilityConfig config,
            Clock clock,
            MeterRegistry registry) {
        this.sessions = sessions;
        this.rules = rules;
        this.silences = silences;
        this.alerts = alerts;
        this.outbox = outbox;
        this.evaluator = evaluator;
        this.builtIns = builtIns;
        this.catchUp = catchUp;
        this.config = config;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.duration = Timer.builder("meridian.observability.alerts.evaluation.duration")
                .description("Time to evaluate every rule and store and announce the changes")
                .publishPercentileHistogram()
                .register(registry);
        this.announced = Counter.builder("meridian.observability.alerts.announced")
                .description("Alert transitions announced on fleet.alerts.v1")
                .register(registry);
    }

    @Scheduled(
            every = "${meridian.observability.alerts.evaluation-interval}",
            delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        // Judging before the fleet view and the series have been read back would resolve every alert.
        if (!catchUp.caughtUp()
                || clock.instant().isBefore(startedAt.plus(config.alerts().startupGrace()))) {
            return;
        }
        try {
            evaluate();
        } catch (RuntimeException e) {
            LOG.warnf("alert evaluation failed: %s", e.toString());
        }
    }

    /**
     * One evaluation, on the calling (worker) thread: the rules are judged over the fleet off the event loop,
     * then the step is stored and announced in one transaction. Returns the number of announcements, or -1
     * when another replica holds the turn.
     */
    public int evaluate() {
        long t0 = System.nanoTime();
        List<AlertRule> all = new ArrayList<>(BuiltInRules.of(builtIns));
        all.addAll(Await.on(rules::all));
        Instant now = clock.instant();
        List<AlertLifecycle.RuleResult> results = evaluator.evaluateAll(all, now);
        int announcedNow = Await.on(() -> sessions.withTransaction(session -> session.createNativeQuery(
                        "SELECT pg_try_advisory_xact_lock(:key)", Boolean.class)
                .setParameter("key", LOCK_KEY)
                .getSingleResult()
                .chain(locked ->
                        locked ? apply(session, results, now) : Uni.createFrom().item(-1))));
        duration.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        return announcedNow;
    }

    private Uni<Integer> apply(Mutiny.Session session, List<AlertLifecycle.RuleResult> results, Instant now) {
        return silences.current(session, false)
                .chain(muting -> alerts.active(session).chain(active -> {
                    AlertLifecycle.Step whole =
                            AlertLifecycle.step(active, results, muting, BuiltInRules.inhibitions(), now);
                    AlertLifecycle.Step step = bounded(whole);
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Alert changed : step.changed()) {
                        chain = chain.chain(() -> alerts.save(session, changed));
                    }
                    for (AlertEvent event : step.announcements()) {
                        chain = chain.chain(() -> outbox.append(
                                        session, typeOf(event.state()), event.key(), event.alertName(), event)
                                .invoke(() -> LOG.infof(
                                        "alert %s %s %s (cluster %s)",
                                        event.alertName(),
                                        event.fingerprint(),
                                        event.state().name().toLowerCase(java.util.Locale.ROOT),
                                        event.clusterId()))
                                .replaceWithVoid());
                    }
                    return chain.invoke(() ->
                                    announced.increment(step.announcements().size()))
                            .replaceWith(step.announcements().size());
                }));
    }

    /**
     * At most {@link #MAX_CHANGES} alert changes per transaction: a new rule matching thousands of series
     * would otherwise write for longer than the database timeout and never commit. The rest are not stored,
     * so the next evaluations find them again and take the next share.
     */
    static AlertLifecycle.Step bounded(AlertLifecycle.Step step) {
        if (step.changed().size() <= MAX_CHANGES) {
            return step;
        }
        List<Alert> kept = step.changed().subList(0, MAX_CHANGES);
        java.util.Set<String> fingerprints = new java.util.HashSet<>();
        kept.forEach(a -> fingerprints.add(a.fingerprint()));
        LOG.infof(
                "%d alert changes in one evaluation; storing %d now, the rest in the next evaluations",
                step.changed().size(), MAX_CHANGES);
        return new AlertLifecycle.Step(
                List.copyOf(kept),
                step.announcements().stream()
                        .filter(e -> fingerprints.contains(e.fingerprint()))
                        .toList());
    }

    static EventType typeOf(AlertEvent.State state) {
        return switch (state) {
            case PENDING -> EventType.ALERT_PENDING;
            case FIRING -> EventType.ALERT_FIRING;
            case RESOLVED -> EventType.ALERT_RESOLVED;
        };
    }
}
