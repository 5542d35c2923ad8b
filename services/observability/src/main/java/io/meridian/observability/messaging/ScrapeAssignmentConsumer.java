package io.meridian.observability.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Membership of the {@code observability-scrapers} group: only its partition assignment matters (see
 * {@link ScrapeOwnershipListener}); the snapshots themselves reach the fleet view through its own channel.
 */
public class ScrapeAssignmentConsumer {

    @Incoming("scrape-assignments")
    public void onClusterRecord(ConsumerRecord<String, byte[]> record) {
        // Nothing to do per record: the fleet view reads the same topic whole in its own group.
    }
}
