package io.meridian.inventory.messaging;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.desired.DesiredBundle;
import io.meridian.eventing.inbound.IncomingEvents;
import io.meridian.inventory.bundle.BundleEngine;
import io.smallrye.common.annotation.NonBlocking;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Desired bundles from {@code fleet.desired.v1}, read whole by every replica (the compacted topic is
 * the desired state); each replica applies those of the clusters it owns. A tombstone means "nothing".
 * An unreadable bundle goes to {@code fleet.desired.v1.dlq} with its reason.
 */
public class DesiredBundleConsumer {

    private final BundleEngine engine;

    DesiredBundleConsumer(BundleEngine engine) {
        this.engine = engine;
    }

    @Incoming("desired-bundles")
    // Declaring only records the bundle and schedules its cluster's writer: no need to hop to a worker thread
    // for every record, which made a burst of bundles wait in line for the worker one by one.
    @NonBlocking
    public void onBundle(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            engine.declare(IncomingEvents.requireKey(record), null);
            return;
        }
        CloudEvent event = IncomingEvents.read(record);
        engine.declare(record.key(), IncomingEvents.data(event, DesiredBundle.class));
    }
}
