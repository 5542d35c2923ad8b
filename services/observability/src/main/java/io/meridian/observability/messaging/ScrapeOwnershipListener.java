package io.meridian.observability.messaging;

import io.meridian.observability.reconcile.ClusterOwnership;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/** Turns partition assignments of the {@code scrape-assignments} channel into the clusters this replica scrapes. */
@ApplicationScoped
@Identifier("scrape-ownership")
public class ScrapeOwnershipListener implements KafkaConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(ScrapeOwnershipListener.class);

    private final ClusterOwnership ownership;

    ScrapeOwnershipListener(ClusterOwnership ownership) {
        this.ownership = ownership;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> assigned) {
        if (assigned.isEmpty()) {
            return;
        }
        String topic = assigned.iterator().next().topic();
        int count = consumer.partitionsFor(topic).size();
        ownership.assigned(
                count, assigned.stream().map(TopicPartition::partition).collect(Collectors.toSet()));
        LOG.infof("this replica now scrapes the clusters of partitions %s of %s", ownership.partitions(), topic);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> revoked) {
        if (revoked.isEmpty()) {
            return;
        }
        Set<Integer> partitions =
                revoked.stream().map(TopicPartition::partition).collect(Collectors.toSet());
        ownership.revoked(partitions);
        LOG.infof("partitions %s revoked; this replica keeps scraping %s", partitions, ownership.partitions());
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> lost) {
        onPartitionsRevoked(consumer, lost);
    }
}
