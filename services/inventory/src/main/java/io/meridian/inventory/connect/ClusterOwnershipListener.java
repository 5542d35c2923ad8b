package io.meridian.inventory.connect;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/** Turns partition assignments of the {@code cluster-events} channel into cluster ownership. */
@ApplicationScoped
@Identifier("cluster-ownership")
public class ClusterOwnershipListener implements KafkaConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(ClusterOwnershipListener.class);

    private final ClusterOwnership ownership;
    private final ClusterConnections connections;

    ClusterOwnershipListener(ClusterOwnership ownership, ClusterConnections connections) {
        this.ownership = ownership;
        this.connections = connections;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> assigned) {
        if (assigned.isEmpty()) {
            return;
        }
        String topic = assigned.iterator().next().topic();
        int count = consumer.partitionsFor(topic).size();
        Set<Integer> partitions =
                assigned.stream().map(TopicPartition::partition).collect(Collectors.toSet());
        ownership.assigned(count, partitions);
        LOG.infof("this replica now owns partitions %s of %s", ownership.partitions(), topic);
        connections.reconcileAllAsync();
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> revoked) {
        if (revoked.isEmpty()) {
            return;
        }
        ownership.revoked(revoked.stream().map(TopicPartition::partition).collect(Collectors.toSet()));
        LOG.infof("partitions %s revoked; this replica keeps %s", revoked, ownership.partitions());
        connections.reconcileAllAsync();
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> lost) {
        onPartitionsRevoked(consumer, lost);
    }
}
