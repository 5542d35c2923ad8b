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
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Turns partition assignments of the {@code cluster-events} channel into cluster ownership: an assigned partition is
 * claimed in the database (its epoch goes up, fencing out whoever wrote for it before), a revoked one released. The
 * callbacks run on the consumer's polling thread, before it polls again, so a claim is in place before the replica
 * writes for the partition, and a release before another replica is assigned it. Only an assignment takes a claim
 * from a live replica; a claim retried later (the database was away) or after being fenced out waits until the
 * holder released it or stopped showing signs of life, so two replicas never take a partition from each other in
 * turn. Synchronized: a retry and a revocation never interleave.
 */
@ApplicationScoped
@Identifier("cluster-ownership")
public class ClusterOwnershipListener implements KafkaConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(ClusterOwnershipListener.class);

    private final ClusterOwnership ownership;
    private final ClusterConnections connections;
    private final PartitionClaims claims;
    // Revoked partitions whose release failed (database away): released at the next retry.
    private final Set<Integer> releasePending = new HashSet<>();

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
        releasePending.removeAll(partitions);
        try {
            Await.on(() -> claims.claim(partitions)).forEach(ownership::claimed);
        } catch (RuntimeException e) {
            LOG.warnf(
                    "could not claim partitions %s (%s): their clusters are watched, and written to once the claim"
                            + " is made",
                    partitions, e.getMessage());
        }
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
        releasePending.addAll(partitions);
        release();
        LOG.infof("partitions %s revoked; this replica keeps %s", partitions, ownership.partitions());
        connections.reconcileAllAsync();
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> lost) {
        onPartitionsRevoked(consumer, lost);
    }

    /**
     * Shows this replica is alive, releases what it could not release before, and claims the assigned partitions it
     * holds no claim on, where nobody else holds them or their holder stopped showing signs of life. One statement
     * each, so a database that does not answer holds the polling thread up for one timeout at most.
     */
    @Scheduled(every = "${meridian.inventory.connections.claim-retry-interval:5s}", delayed = "5s")
    synchronized void reclaim() {
        try {
            Await.on(claims::heartbeat);
        } catch (RuntimeException e) {
            LOG.debugf("could not record this replica's heartbeat: %s", e.getMessage());
            return;
        }
        release();
        Set<Integer> unclaimed = ownership.unclaimed();
        if (unclaimed.isEmpty()) {
            return;
        }
        try {
            Map<Integer, Long> epochs = Await.on(() -> claims.claimIfFree(unclaimed));
            if (!epochs.isEmpty()) {
                epochs.forEach(ownership::claimed);
                LOG.infof(
                        "claimed partitions %s of fleet.clusters.v1 (released or left by their holder)",
                        epochs.keySet());
                connections.reconcileAllAsync();
                ownership.claimsMade(epochs.keySet());
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not claim partitions %s: %s", unclaimed, e.getMessage());
        }
    }

    private void release() {
        if (releasePending.isEmpty()) {
            return;
        }
        Set<Integer> partitions = Set.copyOf(releasePending);
        try {
            Await.on(() -> claims.release(partitions));
            releasePending.removeAll(partitions);
        } catch (RuntimeException e) {
            LOG.warnf("could not release partitions %s (%s); retrying", partitions, e.getMessage());
        }
    }
}
