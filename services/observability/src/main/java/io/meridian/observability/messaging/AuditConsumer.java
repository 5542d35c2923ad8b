package io.meridian.observability.messaging;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.contracts.kafka.UnreadableEventException;
import io.meridian.eventing.inbound.IncomingEvents;
import io.meridian.eventing.inbound.TransientFailures;
import io.meridian.observability.persistence.AuditIndex;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Indexes every service's audit records from {@code fleet.audit.v1} (one shared group: each record is
 * stored once, idempotently by its id). An unreadable record goes to {@code fleet.audit.v1.dlq}; a failing
 * database is retried with back-off (about five minutes) before a record is given up to the dead letters.
 */
public class AuditConsumer {

    private final AuditIndex index;
    private final Counter indexed;

    AuditConsumer(AuditIndex index, MeterRegistry registry) {
        this.index = index;
        this.indexed = Counter.builder("meridian.observability.audit.indexed")
                .description("Audit records added to the index")
                .register(registry);
    }

    @Incoming("audit-records")
    public Uni<Void> onRecord(ConsumerRecord<String, byte[]> record) {
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
