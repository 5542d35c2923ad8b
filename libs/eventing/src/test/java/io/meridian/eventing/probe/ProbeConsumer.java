package io.meridian.eventing.probe;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.eventing.inbound.IncomingEvents;
import io.meridian.eventing.inbound.ProcessedEvents;
import io.meridian.eventing.inbound.TransientFailures;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hibernate.HibernateException;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * A consumer written the way services write theirs: read, guard, apply, retrying while the database is away;
 * unreadable records go to the DLQ.
 */
@ApplicationScoped
public class ProbeConsumer {

    private final List<String> applied = new CopyOnWriteArrayList<>();
    private final AtomicInteger attemptsWhileAway = new AtomicInteger();
    private volatile boolean databaseAway;
    private final Mutiny.SessionFactory sessions;
    private final ProcessedEvents processed;

    ProbeConsumer(Mutiny.SessionFactory sessions, ProcessedEvents processed) {
        this.sessions = sessions;
        this.processed = processed;
    }

    @Incoming("probe")
    public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
        CloudEvent event = IncomingEvents.read(record);
        AuditRecord data = IncomingEvents.data(event, AuditRecord.class);
        return TransientFailures.retried(Uni.createFrom().deferred(() -> {
            if (databaseAway) {
                attemptsWhileAway.incrementAndGet();
                // What Hibernate Reactive reports while PostgreSQL restarts.
                return Uni.createFrom()
                        .failure(new HibernateException(
                                new PgException("the database system is starting up", "FATAL", "57P03", null)));
            }
            return apply(event, data);
        }));
    }

    /** While {@code away}, every attempt to process a record fails as it does when the database is down. */
    public void databaseAway(boolean away) {
        databaseAway = away;
    }

    public int attemptsWhileAway() {
        return attemptsWhileAway.get();
    }

    private Uni<Void> apply(CloudEvent event, AuditRecord data) {
        return sessions.withTransaction(session -> processed
                .firstDelivery(session, "probe", event.id())
                .invoke(first -> {
                    if (first) {
                        applied.add(event.id() + ":" + data.action());
                    }
                })
                .replaceWithVoid());
    }

    public List<String> applied() {
        return List.copyOf(applied);
    }
}
