package io.meridian.observability.messaging;

import io.meridian.eventing.catchup.StreamCatchUp;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Knows when the fleet view has read its topics up to where they ended at startup, so the alert evaluator
 * never judges an empty view (which would resolve every alert after a restart). The bookkeeping is the shared
 * {@link StreamCatchUp}; the first assignment of the fleet-events channel, of whatever topics, will do.
 */
@ApplicationScoped
public class FleetCatchUp {

    private final StreamCatchUp streams = new StreamCatchUp("fleet view", Set.of());

    /** Notes where each newly assigned partition ends, to know when the view has read that far. */
    void assigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        streams.assigned(consumer, partitions);
    }

    /** Notes a record read by the fleet view. */
    void read(String topic, int partition, long offset) {
        streams.read(topic, partition, offset);
    }

    public boolean caughtUp() {
        return streams.caughtUp();
    }
}
