package io.meridian.observability.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.eventing.Await;
import io.meridian.observability.config.ObservabilityConfig;
import io.meridian.observability.domain.notify.Backoff;
import io.meridian.observability.domain.notify.Notification;
import io.meridian.observability.domain.notify.Receiver;
import io.meridian.observability.domain.notify.ReceiverTurn;
import io.meridian.observability.notify.DeliveryOutcome;
import io.meridian.observability.notify.EmailDelivery;
import io.meridian.observability.notify.HttpDelivery;
import io.meridian.observability.persistence.NotificationStore;
import io.meridian.observability.persistence.ReceiverStore;
import io.meridian.servicekit.endpoints.EndpointAllowList;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Delivers queued notifications. Each dispatch claims the due ones (rows another replica holds are skipped, and a
 * claim keeps them from every replica until its lease ends) and runs each receiver's share on its own, in order, on a
 * bounded pool: a receiver that is slow or failing holds its own run and never another's. A failure that may pass
 * (a 429, a 5xx, no answer) backs that receiver off, its whole queue with it; one that cannot (a 4xx, a refused URL)
 * fails that notification alone. At least once: a replica that stops between sending and recording sends again when
 * the lease ends, under the same dedup key, which receivers such as PagerDuty use to drop the repeat.
 */
@ApplicationScoped
public class NotificationDispatcher {

    private static final Logger LOG = Logger.getLogger(NotificationDispatcher.class);

    /** {@code meridian_notifications_sent_total{receiver,status}}, status delivered, failed or retried. */
    static final String SENT = "meridian.notifications.sent";

    /** Due notifications one dispatch takes at most, across receivers. */
    static final int MAX_BATCH = 1000;

    /** Where operators list the hosts receiver endpoints may be on. */
    public static final String ALLOWED_PROPERTY = "meridian.observability.notifications.allowed-endpoints";

    /** What to do after one attempt. */
    sealed interface Step {
        ReceiverTurn turn();

        /** The endpoint took it. */
        record Delivered(ReceiverTurn turn) implements Step {}

        /** It may succeed later: try again at {@code at}, and hold the receiver's other notifications till then. */
        record Retry(Instant at, String reason, ReceiverTurn turn) implements Step {}

        /** It cannot succeed, or has been tried often enough: failed for good. */
        record GiveUp(String reason, ReceiverTurn turn) implements Step {}
    }

    private final Mutiny.SessionFactory sessions;
    private final NotificationStore store;
    private final ReceiverStore receivers;
    private final ObservabilityConfig.Notifications config;
    private final Clock clock;
    private final MeterRegistry registry;
    private final EndpointAllowList allowList;
    private final HttpDelivery delivery;
    private final EmailDelivery email;
    private final Backoff backoff;
    private final ExecutorService pool;
    private final CoalescedRun soon = new CoalescedRun("notification-dispatch", this::dispatchLogged);
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<String, ReceiverTurn> turns = new ConcurrentHashMap<>();

    NotificationDispatcher(
            Mutiny.SessionFactory sessions,
            NotificationStore store,
            ReceiverStore receivers,
            ObservabilityConfig config,
            Clock clock,
            MeterRegistry registry,
            Vertx vertx) {
        this.sessions = sessions;
        this.store = store;
        this.receivers = receivers;
        this.config = config.notifications();
        this.clock = clock;
        this.registry = registry;
        this.allowList = EndpointAllowList.of(ALLOWED_PROPERTY, this.config.allowedEndpoints());
        this.delivery = new HttpDelivery(
                vertx,
                allowList,
                EndpointAllowList.Resolver.SYSTEM,
                this.config.timeout(),
                this.config.externalUrl(),
                new ObjectMapper());
        this.email = new EmailDelivery(
                vertx,
                allowList,
                EndpointAllowList.Resolver.SYSTEM,
                this.config.timeout(),
                this.config.externalUrl(),
                EmailDelivery.platformTrust());
        this.backoff = new Backoff(this.config.backoffInitial(), this.config.backoffMax());
        // Platform threads on purpose: a run blocks on DNS and on the database between sends, off the event loop.
        this.pool = Executors.newFixedThreadPool(
                Math.max(1, this.config.concurrency()),
                Thread.ofPlatform().daemon().name("notify-", 0).factory());
        if (allowList.allowsAny()) {
            LOG.warnf(
                    "%s is not set: receivers may point at any host but reserved addresses; set it to the hosts of"
                            + " your webhook, Slack, PagerDuty and SMTP endpoints",
                    ALLOWED_PROPERTY);
        }
    }

    /** The allow-list receiver URLs are judged by, to refuse a URL when it is written. */
    public EndpointAllowList allowList() {
        return allowList;
    }

    @Scheduled(
            every = "${meridian.observability.notifications.dispatch-interval}",
            delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        // Through the same single runner as the wake-ups: two dispatches at once in one replica would start a second
        // run of a receiver before the first one's claim is marked in flight.
        soon.wake();
    }

    private void dispatchLogged() {
        try {
            dispatch();
        } catch (RuntimeException e) {
            LOG.warnf("notification dispatch failed: %s", e.toString());
        }
    }

    /** Notifications were queued: dispatch now rather than at the next tick. */
    public void wake() {
        soon.wake();
    }

    /** Claims the due notifications and starts one run per receiver; returns the receivers started. */
    public Set<String> dispatch() {
        Instant now = clock.instant();
        // Long enough for a whole run of one receiver (an e-mail may take its timeout plus the STARTTLS handshake); a
        // replica that dies mid-run frees its claims when it ends.
        Instant lease = now.plus(config.timeout().plusSeconds(5).multipliedBy(config.perReceiverBatch() + 1L));
        Map<String, List<NotificationStore.Delivery>> byReceiver = new TreeMap<>();
        Map<String, Receiver> known = new TreeMap<>();
        Await.on(() -> sessions.withTransaction(session -> store.lockDue(
                        session, MAX_BATCH, Math.max(1, config.perReceiverBatch()))
                .chain(due -> {
                    List<String> claimed = new ArrayList<>();
                    for (NotificationStore.Delivery d : due) {
                        String name = d.notification().receiver();
                        // A receiver still running, or backing off here, takes its next share later.
                        if (inFlight.contains(name) || !turn(name).ready(now)) {
                            continue;
                        }
                        byReceiver.computeIfAbsent(name, k -> new ArrayList<>()).add(d);
                        claimed.add(d.dedupKey());
                    }
                    if (claimed.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    return receivers
                            .all(session)
                            .invoke(all -> {
                                all.forEach(r -> known.put(r.name(), r));
                                // A receiver deleted through another replica leaves its mail client here: close it.
                                email.retain(known.keySet());
                            })
                            .chain(() -> store.claim(session, claimed, lease));
                })));
        for (var entry : byReceiver.entrySet()) {
            String name = entry.getKey();
            inFlight.add(name);
            try {
                pool.execute(() -> {
                    try {
                        run(name, Optional.ofNullable(known.get(name)), entry.getValue());
                    } catch (RuntimeException e) {
                        // The claims end with their lease: what was not recorded is sent again then.
                        LOG.warnf("delivery run of receiver %s stopped: %s", name, e.toString());
                    } finally {
                        inFlight.remove(name);
                        // What was queued for this receiver while it ran was skipped: look again now, not at the tick.
                        soon.wake();
                    }
                });
            } catch (RejectedExecutionException shuttingDown) {
                inFlight.remove(name);
            }
        }
        return byReceiver.keySet();
    }

    /** One receiver's share, in order, on the calling thread. */
    void run(String name, Optional<Receiver> receiver, List<NotificationStore.Delivery> due) {
        for (int i = 0; i < due.size(); i++) {
            NotificationStore.Delivery d = due.get(i);
            DeliveryOutcome outcome = receiver.isEmpty()
                    ? new DeliveryOutcome.Failed("receiver " + name + " no longer exists", false)
                    : send(receiver.get(), d.notification());
            Step step = next(outcome, d.attempts(), turn(name), config.maxAttempts(), backoff, clock.instant());
            turns.put(name, step.turn());
            switch (step) {
                case Step.Delivered delivered -> {
                    Await.on(() -> sessions.withTransaction(s -> store.delivered(s, d.dedupKey())));
                    count(name, "delivered");
                    LOG.infof(
                            "notification %s of group %s delivered to receiver %s (attempt %d)",
                            d.notification().status().wire(), d.notification().groupKey(), name, d.attempts() + 1);
                }
                case Step.GiveUp giveUp -> {
                    Await.on(() ->
                            sessions.withTransaction(s -> store.attemptFailed(s, d.dedupKey(), giveUp.reason(), null)));
                    count(name, "failed");
                    LOG.warnf(
                            "notification %s of group %s to receiver %s failed after %d attempt(s): %s",
                            d.notification().status().wire(),
                            d.notification().groupKey(),
                            name,
                            d.attempts() + 1,
                            giveUp.reason());
                    Instant now = clock.instant();
                    if (!giveUp.turn().ready(now)) {
                        // It failed for good only by its attempts: the endpoint is still failing, so the rest wait.
                        Instant at = giveUp.turn().notBefore();
                        List<NotificationStore.Delivery> rest = due.subList(i + 1, due.size());
                        Await.on(() -> sessions.withTransaction(s -> {
                            Uni<Void> chain = store.deferReceiver(s, name, at);
                            for (NotificationStore.Delivery later : rest) {
                                chain = chain.chain(() -> store.release(s, later.dedupKey(), at));
                            }
                            return chain;
                        }));
                        return;
                    }
                }
                case Step.Retry retry -> {
                    List<NotificationStore.Delivery> rest = due.subList(i + 1, due.size());
                    Await.on(() -> sessions.withTransaction(s -> {
                        Uni<Void> chain = store.attemptFailed(s, d.dedupKey(), retry.reason(), retry.at())
                                .chain(() -> store.deferReceiver(s, name, retry.at()));
                        for (NotificationStore.Delivery later : rest) {
                            chain = chain.chain(() -> store.release(s, later.dedupKey(), retry.at()));
                        }
                        return chain;
                    }));
                    count(name, "retried");
                    LOG.infof(
                            "receiver %s backs off until %s after attempt %d of a notification: %s",
                            name, retry.at(), d.attempts() + 1, retry.reason());
                    return; // the receiver's whole queue waits its back-off
                }
            }
        }
    }

    /** Decides what follows one attempt; pure. */
    static Step next(
            DeliveryOutcome outcome,
            int attemptsBefore,
            ReceiverTurn turn,
            int maxAttempts,
            Backoff backoff,
            Instant now) {
        return switch (outcome) {
            case DeliveryOutcome.Delivered d -> new Step.Delivered(turn.delivered());
            case DeliveryOutcome.Failed f when !f.retryable() -> new Step.GiveUp(f.reason(), turn);
            case DeliveryOutcome.Failed f -> {
                ReceiverTurn failed = turn.failed(f.reason(), now, backoff);
                yield attemptsBefore + 1 >= maxAttempts
                        ? new Step.GiveUp(f.reason() + " (gave up after " + (attemptsBefore + 1) + " attempts)", failed)
                        : new Step.Retry(failed.notBefore(), f.reason(), failed);
            }
        };
    }

    /** Sends one notification now, outside the queue (the receivers' test); runs off the event loop. */
    public Uni<DeliveryOutcome> sendNow(Receiver receiver, Notification notification) {
        return Uni.createFrom()
                .completionStage(() -> deliver(receiver, notification))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Closes what this replica holds open for a receiver that was changed or deleted (its mail client). */
    public void receiverChanged(String name) {
        email.forget(name);
    }

    private CompletionStage<DeliveryOutcome> deliver(Receiver receiver, Notification n) {
        return switch (receiver) {
            case Receiver.Email e -> email.deliver(e, n);
            case Receiver.Webhook w -> delivery.deliver(w, n);
            case Receiver.Slack s -> delivery.deliver(s, n);
            case Receiver.PagerDuty p -> delivery.deliver(p, n);
        };
    }

    private DeliveryOutcome send(Receiver receiver, Notification notification) {
        try {
            // Each delivery ends every attempt by its own timeout; this bound only guards against a lost completion.
            return deliver(receiver, notification)
                    .toCompletableFuture()
                    .get(config.timeout().plus(Duration.ofSeconds(5)).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new DeliveryOutcome.Failed("receiver " + receiver.name() + " gave no outcome in time", true);
        } catch (ExecutionException e) {
            return new DeliveryOutcome.Failed("receiver " + receiver.name() + ": delivery failed", true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DeliveryOutcome.Failed("receiver " + receiver.name() + ": interrupted", true);
        }
    }

    private ReceiverTurn turn(String name) {
        return turns.getOrDefault(name, ReceiverTurn.fresh(name));
    }

    private void count(String receiver, String status) {
        Counter.builder(SENT)
                .description("Notification delivery attempts by receiver and result: delivered, failed (for good),"
                        + " retried (failed, tried again later)")
                .tag("receiver", receiver)
                .tag("status", status)
                .register(registry)
                .increment();
    }

    void stop(@Observes ShutdownEvent event) {
        soon.close();
        pool.shutdownNow();
        delivery.close();
        email.close();
    }
}
