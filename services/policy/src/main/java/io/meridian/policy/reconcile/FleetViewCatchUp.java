package io.meridian.policy.reconcile;

import io.meridian.contracts.Topic;
import io.meridian.eventing.catchup.StreamCatchUp;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Knows when the compliance view has read the clusters and the objects up to where their topics ended when the
 * partitions were assigned. Until then the view is partial (a replica that just started replays both topics from the
 * start), and the violation table is not written from it: what it would write is older than what other replicas
 * wrote. The bookkeeping is the shared {@link StreamCatchUp}.
 */
@ApplicationScoped
public class FleetViewCatchUp {

    private final StreamCatchUp streams =
            new StreamCatchUp("compliance view", Set.of(Topic.CLUSTERS.topicName(), Topic.RESOURCES.topicName()));

    /** Partitions of a fleet stream were assigned to one of the view's consumers. */
    public void assigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        streams.assigned(consumer, partitions);
    }

    /** A record the view read (evaluated, skipped or dead-lettered). */
    public void read(String topic, int partition, long offset) {
        streams.read(topic, partition, offset);
    }

    /** Whether both streams were assigned and read up to where they ended then. */
    public boolean caughtUp() {
        return streams.caughtUp();
    }

    /** The streams still being read or not yet assigned, for readiness to tell. */
    public Set<String> pending() {
        return streams.pending();
    }
}
