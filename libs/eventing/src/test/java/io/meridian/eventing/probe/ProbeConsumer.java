package io.meridian.eventing.probe;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.eventing.inbound.IncomingEvents;
import io.meridian.eventing.inbound.ProcessedEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hibernate.reactive.mutiny.Mutiny;

/** A consumer written the way services write theirs: read, guard, apply; failures go to the DLQ. */
@ApplicationScoped
public class ProbeConsumer {

    private final List<String> applied = new CopyOnWriteArrayList<>();
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
