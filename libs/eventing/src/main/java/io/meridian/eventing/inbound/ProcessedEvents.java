package io.meridian.eventing.inbound;

import io.meridian.eventing.EventingConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * The idempotent-consumer guard. A consumer calls {@link #firstDelivery} in the transaction that applies
 * an event's effect: the id is recorded together with the effect, so a redelivered event (at-least-once)
 * is recognised and skipped, and a crash before commit leaves neither.
 */
@ApplicationScoped
public class ProcessedEvents {

    private static final Logger LOG = Logger.getLogger(ProcessedEvents.class);

    private final Mutiny.SessionFactory sessions;
    private final EventingConfig config;
    private final Clock clock;

    ProcessedEvents(Mutiny.SessionFactory sessions, EventingConfig config, Clock clock) {
        this.sessions = sessions;
        this.config = config;
        this.clock = clock;
    }

    /** True the first time {@code consumer} sees {@code eventId}; false for a redelivery. */
    public Uni<Boolean> firstDelivery(Mutiny.Session session, String consumer, String eventId) {
        return session.createNativeQuery("INSERT INTO processed_event (consumer, event_id, processed_at)"
                        + " VALUES (:consumer, :id, :at) ON CONFLICT DO NOTHING")
                .setParameter("consumer", consumer)
                .setParameter("id", eventId)
                .setParameter("at", OffsetDateTime.now(clock))
                .executeUpdate()
                .map(inserted -> inserted == 1);
    }

    /** Forgets ids older than the retention; returns how many were removed. */
    public Uni<Integer> purgeExpired() {
        OffsetDateTime cutoff = OffsetDateTime.now(clock).minus(config.inbound().processedRetention());
        return sessions.withTransaction(
                session -> session.createNativeQuery("DELETE FROM processed_event WHERE processed_at < :cutoff")
                        .setParameter("cutoff", cutoff)
                        .executeUpdate());
    }

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purgeHourly() {
        return purgeExpired()
                .invoke(n -> {
                    if (n > 0) {
                        LOG.infof("forgot %d processed event ids older than the retention", n);
                    }
                })
                .replaceWithVoid();
    }
}
