package io.meridian.inventory.messaging;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.desired.DesiredBundle;
import io.meridian.eventing.inbound.DeadLetters;
import io.meridian.eventing.inbound.IncomingEvents;
import io.meridian.inventory.bundle.BundleEngine;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Desired bundles from {@code fleet.desired.v1}, read whole by every replica (the compacted topic is
 * the desired state); each replica applies those of the clusters it owns. A tombstone means "nothing".
 * An unreadable bundle goes to {@code fleet.desired.v1.dlq} with its reason, and the rest of its batch is declared.
 */
public class DesiredBundleConsumer {

    private final BundleEngine engine;
    private final DeadLetters deadLetters;

    DesiredBundleConsumer(BundleEngine engine, DeadLetters deadLetters) {
        this.engine = engine;
        this.deadLetters = deadLetters;
    }

    /**
     * A whole poll at a time: declaring only records a bundle and schedules its cluster's writer, and a change that
     * reaches 100 clusters arrives as 100 records at once. Handed over one by one, each record waited for its turn
     * on a thread that the first clusters' writes were already keeping busy, so the last cluster started about
     * 0.2-0.6 s after the first.
     */
    @Incoming("desired-bundles")
    public void onBundles(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                declare(record);
            } catch (RuntimeException e) {
                deadLetters.send(record, e);
            }
        }
    }

    private void declare(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            engine.declare(IncomingEvents.requireKey(record), null);
            return;
        }
        CloudEvent event = IncomingEvents.read(record);
        engine.declare(record.key(), IncomingEvents.data(event, DesiredBundle.class));
    }
}
