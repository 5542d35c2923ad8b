package io.meridian.eventing.inbound;

import io.meridian.contracts.fleet.ClusterEvent;
import io.meridian.contracts.fleet.FleetStreams;
import io.meridian.contracts.fleet.PlacementEvent;
import io.meridian.contracts.fleet.RatesEvent;
import io.meridian.contracts.fleet.ResourceEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Counts the fleet-stream records a consumer skips by the rule of {@link FleetStreams} (a newer producer's event type
 * or placement key, a resync marker's tombstone) in {@code meridian_fleet_events_skipped_total}, tagged with topic and type, so a
 * version skew between producer and consumers shows on a dashboard instead of in a dead-letter topic.
 */
@ApplicationScoped
public class SkippedFleetEvents {

    /** The Micrometer name; Prometheus shows it as {@code meridian_fleet_events_skipped_total}. */
    public static final String METRIC = "meridian.fleet.events.skipped";

    private static final Logger LOG = Logger.getLogger(SkippedFleetEvents.class);

    private final MeterRegistry registry;

    SkippedFleetEvents(MeterRegistry registry) {
        this.registry = registry;
    }

    public void count(ConsumerRecord<String, byte[]> record, ClusterEvent.Skipped skipped) {
        count(record, skipped.type(), skipped.reason());
    }

    public void count(ConsumerRecord<String, byte[]> record, ResourceEvent.Skipped skipped) {
        count(record, skipped.type(), skipped.reason());
    }

    public void count(ConsumerRecord<String, byte[]> record, RatesEvent.Skipped skipped) {
        count(record, skipped.type(), skipped.reason());
    }

    public void count(ConsumerRecord<String, byte[]> record, PlacementEvent.Skipped skipped) {
        count(record, skipped.type(), skipped.reason());
    }

    private void count(ConsumerRecord<String, byte[]> record, String type, String reason) {
        // Registering again returns the meter already there; skips are rare, so no cache of our own.
        Counter.builder(METRIC)
                .description("Records of the fleet streams skipped by the decoding rule, e.g. a newer event type")
                .tag("topic", record.topic())
                .tag("type", type)
                .register(registry)
                .increment();
        LOG.debugf(
                "skipping %s-%d@%d (key %s): %s",
                record.topic(), record.partition(), record.offset(), record.key(), reason);
    }
}
