package io.meridian.placement.reconcile;

import io.meridian.contracts.Topic;
import io.meridian.eventing.catchup.StreamCatchUp;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Knows when the {@link FleetViewCache} has read each fleet stream up to where it ended when the partitions were
 * assigned. Until then the view is partial, and a decision made from it would take clusters not yet read for lost
 * ones and fail every workload over: the reconciler waits, and readiness says so. The bookkeeping is the shared
 * {@link StreamCatchUp}; every stream the view is built from must have been assigned.
 */
@ApplicationScoped
public class FleetViewCatchUp {

    // The streams the view is built from: clusters, capacity and workload status, rates.
    private final StreamCatchUp streams = new StreamCatchUp(
            "fleet view", Set.of(Topic.CLUSTERS.topicName(), Topic.RESOURCES.topicName(), Topic.COST.topicName()));

    /** Partitions of a fleet stream were assigned to one of the view's consumers. */
    public void assigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        streams.assigned(consumer, partitions);
    }

    /** A record the view read. */
    public void read(String topic, int partition, long offset) {
        streams.read(topic, partition, offset);
    }

    /** Whether every required stream was assigned and read up to where it ended then. */
    public boolean caughtUp() {
        return streams.caughtUp();
    }

    /** The streams still being read, for readiness to tell. */
    public Set<String> pending() {
        return streams.pending();
    }

    /** Waits until the view caught up, at most {@code timeout}; whether it did. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return streams.awaitCaughtUp(timeout);
    }
}
