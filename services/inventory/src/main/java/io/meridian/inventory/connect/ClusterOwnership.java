package io.meridian.inventory.connect;

import io.meridian.contracts.kafka.ClusterKeyPartitioner;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Which clusters this replica connects to: those whose {@code fleet.clusters.v1} partition the Kafka
 * consumer group assigned to it. A rebalance moves clusters between replicas without a coordinator
 * of our own, and the partitioner guarantees every replica computes the same partition for a cluster.
 */
@ApplicationScoped
public class ClusterOwnership {

    private final Set<Integer> partitions = new CopyOnWriteArraySet<>();
    private volatile int partitionCount;

    void assigned(int topicPartitionCount, Set<Integer> assigned) {
        partitionCount = topicPartitionCount;
        partitions.addAll(assigned);
    }

    void revoked(Set<Integer> revoked) {
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
