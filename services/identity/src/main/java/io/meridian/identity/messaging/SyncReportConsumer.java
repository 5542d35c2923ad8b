package io.meridian.identity.messaging;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.EventType;
import io.meridian.contracts.sync.SyncReport;
import io.meridian.eventing.inbound.IncomingEvents;
import io.meridian.eventing.inbound.TransientFailures;
import io.meridian.identity.reconcile.BundleDeclarations;
import io.meridian.identity.reconcile.GrantStatusTracker;
import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Sync reports of identity's bundles from {@code fleet.sync.v1}; other owners' reports and drift events are not
 * identity's concern (drift is repaired by inventory and shows in the next report). A readable record whose
 * processing fails is retried with back-off (the database may be away for a while); unreadable records go to
 * {@code fleet.sync.v1.dlq}.
 */
public class SyncReportConsumer {

    private final GrantStatusTracker tracker;

    SyncReportConsumer(GrantStatusTracker tracker) {
        this.tracker = tracker;
    }

    @Incoming("sync")
    public Uni<Void> onSync(ConsumerRecord<String, byte[]> record) {
        return TransientFailures.retried(Uni.createFrom().item(record).chain(r -> {
            String key = IncomingEvents.requireKey(r);
            if (!key.startsWith(BundleDeclarations.OWNER + "/") || r.value() == null) {
                return Uni.createFrom().voidItem();
            }
            CloudEvent event = IncomingEvents.read(r);
            if (EventType.of(event.type()).orElse(null) != EventType.SYNC_REPORTED) {
                return Uni.createFrom().voidItem();
            }
            return tracker.reported(IncomingEvents.data(event, SyncReport.class));
        }));
    }
}
