package io.meridian.observability.reconcile;

import io.meridian.eventing.Await;
import io.meridian.observability.config.ObservabilityConfig;
import io.meridian.observability.domain.BuiltInRules;
import io.meridian.observability.domain.notify.NotificationPlanner;
import io.meridian.observability.domain.notify.Receiver;
import io.meridian.observability.domain.notify.RouteTree;
import io.meridian.observability.persistence.NotificationStore;
import io.meridian.observability.persistence.ReceiverStore;
import io.meridian.observability.persistence.SilenceStore;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Turns the announced alerts into due notifications: in one transaction it reads the alerts, the groups' state, the
 * route tree and the receivers, runs the pure {@link NotificationPlanner}, queues what it planned and stores the
 * groups' new state, so a crash neither loses nor repeats a notification. One replica plans at a time (a
 * transaction-scoped advisory lock); queuing is by dedup key, so even two plans of the same step store one row.
 */
@ApplicationScoped
public class NotificationPlanning {

    private static final Logger LOG = Logger.getLogger(NotificationPlanning.class);

    /** Advisory lock key of the planner ("obs-ntfy"). */
    static final long LOCK_KEY = 0x6f62732d6e746679L;

    /** What one planning step came to. */
    public sealed interface Result {
        /** Another replica holds the turn. */
        record Skipped() implements Result {}

        /** No route tree is stored, or the stored one no longer compiles: nothing is sent. */
        record NoRoute(String reason) implements Result {}

        /** Planned: {@code queued} notifications stored now (planned ones already queued are not counted). */
        record Planned(int planned, int queued, int groups) implements Result {}
    }

    private final CoalescedRun soon;
    private final NotificationDispatcher dispatcher;
    private final Mutiny.SessionFactory sessions;
    private final NotificationStore notifications;
    private final ReceiverStore receivers;
    private final SilenceStore silences;
    private final ObservabilityConfig config;
    private final Clock clock;
    private volatile String lastRouteProblem;

    NotificationPlanning(
            Mutiny.SessionFactory sessions,
            NotificationStore notifications,
            ReceiverStore receivers,
            SilenceStore silences,
            ObservabilityConfig config,
            Clock clock,
            NotificationDispatcher dispatcher) {
        this.sessions = sessions;
        this.dispatcher = dispatcher;
        this.notifications = notifications;
        this.receivers = receivers;
        this.silences = silences;
        this.config = config;
        this.clock = clock;
        this.soon = new CoalescedRun("notification-planning", this::planAndWakeDispatch);
    }

    /** An alert changed: plan now rather than at the next tick (group wait 0 s must mean no wait). */
    public void wake() {
        soon.wake();
    }

    private void planAndWakeDispatch() {
        try {
            if (plan() instanceof Result.Planned planned && planned.queued() > 0) {
                dispatcher.wake();
            }
        } catch (RuntimeException e) {
            LOG.warnf("notification planning failed: %s", e.toString());
        }
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        soon.close();
    }

    @Scheduled(
            every = "${meridian.observability.notifications.plan-interval}",
            delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            Result result = plan();
            if (result instanceof Result.Planned planned && planned.queued() > 0) {
                dispatcher.wake();
            }
            if (result instanceof Result.NoRoute(String reason) && reason != null && !reason.equals(lastRouteProblem)) {
                LOG.warnf("notifications are not planned: %s", reason);
            }
            lastRouteProblem = result instanceof Result.NoRoute(String reason) ? reason : null;
        } catch (RuntimeException e) {
            LOG.warnf("notification planning failed: %s", e.toString());
        }
    }

    /** One planning step, on the calling (worker) thread. */
    public Result plan() {
        return Await.on(() -> sessions.withTransaction(session -> session.createNativeQuery(
                        "SELECT pg_try_advisory_xact_lock(:key)", Boolean.class)
                .setParameter("key", LOCK_KEY)
                .getSingleResult()
                .chain(locked -> locked ? step(session) : Uni.createFrom().item(new Result.Skipped()))));
    }

    private Uni<Result> step(Mutiny.Session session) {
        Instant now = clock.instant();
        return receivers.route(session).chain(spec -> {
            if (spec.isEmpty()) {
                return Uni.createFrom().item(new Result.NoRoute(null));
            }
            return receivers.all(session).chain(all -> {
                Map<String, Receiver> byName = new LinkedHashMap<>();
                all.forEach(r -> byName.put(r.name(), r));
                RouteTree.Result compiled = RouteTree.compile(spec.get(), byName.keySet());
                if (!compiled.valid()) {
                    return Uni.createFrom()
                            .item(new Result.NoRoute(
                                    "the stored route tree no longer compiles: " + compiled.problems()));
                }
                return notifications
                        .forgetResolved(
                                session, now.minus(config.notifications().resolvedRetention()))
                        .chain(() -> notifications.alerts(session))
                        .chain(alerts -> notifications
                                .groups(session)
                                .chain(groups -> silences.current(session, false)
                                        .chain(muting -> apply(
                                                session,
                                                NotificationPlanner.plan(
                                                        now,
                                                        compiled.tree(),
                                                        byName,
                                                        alerts,
                                                        muting,
                                                        BuiltInRules.inhibitions(),
                                                        groups)))));
            });
        });
    }

    private Uni<Result> apply(Mutiny.Session session, NotificationPlanner.Plan plan) {
        int[] queued = {0};
        Uni<?> chain = Uni.createFrom().voidItem();
        for (var n : plan.notifications()) {
            chain = chain.chain(() -> notifications.enqueue(session, n).invoke(added -> {
                if (added) {
                    queued[0]++;
                    LOG.infof(
                            "notification %s for receiver %s, group %s, %d alert(s) queued",
                            n.status().wire(),
                            n.receiver(),
                            n.groupKey(),
                            n.alerts().size());
                }
            }));
        }
        return chain.chain(() -> notifications.replaceGroups(session, plan.groups()))
                .map(ignored -> (Result) new Result.Planned(
                        plan.notifications().size(), queued[0], plan.groups().size()));
    }
}
