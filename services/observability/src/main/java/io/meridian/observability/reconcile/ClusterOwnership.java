package io.meridian.observability.reconcile;

import io.meridian.contracts.kafka.ClusterKeyPartitioner;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Which clusters this replica scrapes: those whose {@code fleet.clusters.v1} partition the consumer group
 * {@code observability-scrapers} assigned to it, as inventory splits its connections. A rebalance hands
 * clusters over without a coordinator of our own.
 */
@ApplicationScoped
public class ClusterOwnership {

    private final Set<Integer> partitions = new CopyOnWriteArraySet<>();
    private volatile int partitionCount;

    public void assigned(int topicPartitionCount, Set<Integer> assigned) {
        partitionCount = topicPartitionCount;
        partitions.addAll(assigned);
    }

    public void revoked(Set<Integer> revoked) {
        partitions.removeAll(revoked);
    }

    public boolean owns(String clusterId) {
        int count = partitionCount;
        return count > 0
                && partitions.contains(
                        ClusterKeyPartitioner.partitionFor(clusterId.getBytes(StandardCharsets.UTF_8), count));
    }

    public Set<Integer> partitions() {
        return Set.copyOf(partitions);
    }
}
