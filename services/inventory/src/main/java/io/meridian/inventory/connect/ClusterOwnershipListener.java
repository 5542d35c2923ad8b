package io.meridian.inventory.connect;

import io.meridian.eventing.Await;
import io.meridian.inventory.persistence.PartitionClaims;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Turns partition assignments of the {@code cluster-events} channel into cluster ownership: an assigned partition is
 * claimed in the database (its epoch goes up, fencing out whoever wrote for it before), a revoked one released. The
 * callbacks run on the consumer's polling thread, before it polls again, so a claim is in place before the replica
 * acts on the partition, and a release before another replica is assigned it. Synchronized: a claim retried in the
 * background and a revocation never interleave.
 */
@ApplicationScoped
@Identifier("cluster-ownership")
public class ClusterOwnershipListener implements KafkaConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(ClusterOwnershipListener.class);

    private final ClusterOwnership ownership;
    private final ClusterConnections connections;
    private final PartitionClaims claims;
    // Assigned partitions whose claim at assignment failed (database away): claimed whoever holds them, once it is
    // back. Any other unclaimed partition was fenced out and is claimed only when its holder releases it.
    private final Set<Integer> claimPending = new HashSet<>();

    ClusterOwnershipListener(ClusterOwnership ownership, ClusterConnections connections, PartitionClaims claims) {
        this.ownership = ownership;
        this.connections = connections;
        this.claims = claims;
    }

    @Override
    public synchronized void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> assigned) {
        if (assigned.isEmpty()) {
            return;
        }
        String topic = assigned.iterator().next().topic();
        int count = consumer.partitionsFor(topic).size();
        Set<Integer> partitions =
                assigned.stream().map(TopicPartition::partition).collect(Collectors.toSet());
        ownership.assigned(count, partitions);
        claimPending.addAll(partitions);
        claimPending();
        LOG.infof("this replica now owns partitions %s of %s", ownership.partitions(), topic);
        connections.reconcileAllAsync();
    }

    @Override
    public synchronized void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> revoked) {
        if (revoked.isEmpty()) {
            return;
        }
        Set<Integer> partitions =
                revoked.stream().map(TopicPartition::partition).collect(Collectors.toSet());
        ownership.revoked(partitions);
        claimPending.removeAll(partitions);
        try {
            Await.on(() -> claims.release(partitions));
        } catch (RuntimeException e) {
            // The next owner claims them anyway (its claim takes a partition over whoever holds it).
            LOG.warnf("could not release partitions %s: %s", partitions, e.getMessage());
        }
        LOG.infof("partitions %s revoked; this replica keeps %s", partitions, ownership.partitions());
        connections.reconcileAllAsync();
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> lost) {
        onPartitionsRevoked(consumer, lost);
    }

    /**
     * Claims what is assigned here and not claimed: partitions whose claim failed at assignment, whoever holds them;
     * partitions another replica's claim fenced out, once that replica released them (when Kafka takes them from it).
     */
    @Scheduled(every = "${meridian.inventory.connections.claim-retry-interval:5s}", delayed = "5s")
    synchronized void reclaim() {
        Set<Integer> unclaimed = ownership.unclaimed();
        claimPending.retainAll(unclaimed);
        if (unclaimed.isEmpty()) {
            return;
        }
        boolean any = claimPending();
        for (int partition : unclaimed) {
            if (claimPending.contains(partition)) {
                continue;
            }
            try {
                OptionalLong epoch = Await.on(() -> claims.claimIfFree(partition));
                if (epoch.isPresent()) {
                    ownership.claimed(partition, epoch.getAsLong());
                    LOG.infof(
                            "partition %d was released by the replica that fenced this one out; claimed again",
                            partition);
                    any = true;
                }
            } catch (RuntimeException e) {
                LOG.warnf("could not claim partition %d: %s", partition, e.getMessage());
            }
        }
        if (any) {
            connections.reconcileAllAsync();
        }
    }

    /** Claims the partitions waiting for their assignment's claim; whether any was claimed. */
    private boolean claimPending() {
        if (claimPending.isEmpty()) {
            return false;
        }
        Set<Integer> pending = Set.copyOf(claimPending);
        try {
            Map<Integer, Long> epochs = Await.on(() -> claims.claim(pending));
            epochs.forEach(ownership::claimed);
            claimPending.removeAll(epochs.keySet());
            return !epochs.isEmpty();
        } catch (RuntimeException e) {
            LOG.warnf(
                    "could not claim partitions %s (%s): their clusters wait until the database answers",
                    pending, e.getMessage());
            return false;
        }
    }
}
