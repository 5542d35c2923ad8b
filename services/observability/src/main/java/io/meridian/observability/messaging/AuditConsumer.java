package io.meridian.observability.messaging;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.contracts.kafka.UnreadableEventException;
import io.meridian.eventing.inbound.DeadLetters;
import io.meridian.eventing.inbound.IncomingEvents;
import io.meridian.eventing.inbound.TransientFailures;
import io.meridian.observability.persistence.AuditIndex;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Indexes every service's audit records from the services' audit topics ({@code fleet.audit.<service>.v1}, one shared
 * group: each record is stored once, idempotently by its id). An unreadable record goes to the dead-letter topic of the
 * topic it came on, e.g. {@code fleet.audit.cost.v1.dlq}; a failing database is retried with back-off (about five
 * minutes) before a record is given up to the dead letters.
 */
public class AuditConsumer {

    private final AuditIndex index;
    private final DeadLetters deadLetters;
    private final Counter indexed;

    AuditConsumer(AuditIndex index, DeadLetters deadLetters, MeterRegistry registry) {
        this.index = index;
        this.deadLetters = deadLetters;
        this.indexed = Counter.builder("meridian.observability.audit.indexed")
                .description("Audit records added to the index")
                .register(registry);
    }

    /**
     * One record of any service's audit topic. A record that fails is dead-lettered here rather than by the connector,
     * whose dead-letter strategy knows a single topic for the whole channel: each audit topic has a dead-letter topic
     * of its own, and only that one says where the record came from.
     */
    @Incoming("audit-records")
    public Uni<Void> onRecord(ConsumerRecord<String, byte[]> record) {
        return Uni.createFrom()
                .deferred(() -> index(record))
                .onFailure()
                .recoverWithUni(failure -> deadLetter(record, failure));
    }

    private Uni<Void> deadLetter(ConsumerRecord<String, byte[]> record, Throwable failure) {
        // The first dead letter creates a producer and may wait for the topic's metadata: not on the event loop.
        return Uni.createFrom()
                .item(() -> {
                    deadLetters.send(record, failure);
                    return record;
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .replaceWithVoid();
    }

    private Uni<Void> index(ConsumerRecord<String, byte[]> record) {
        CloudEvent event = IncomingEvents.read(record);
        AuditRecord audit = IncomingEvents.data(event, AuditRecord.class);
        if (audit.id() == null
                || audit.actor() == null
                || audit.target() == null
                || audit.at() == null
                || audit.action() == null
                || audit.outcome() == null) {
            throw new UnreadableEventException(
                    "audit record " + event.id() + " lacks id, actor, action, target," + " outcome or time");
        }
        // A database that is away for a while delays indexing rather than dead-lettering readable records.
        return TransientFailures.retried(index.store(event.id(), audit))
                .invoke(added -> {
                    if (added) {
                        indexed.increment();
                    }
                })
                .replaceWithVoid();
    }
}
