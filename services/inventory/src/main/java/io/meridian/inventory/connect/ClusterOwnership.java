package io.meridian.inventory.connect;

import io.meridian.contracts.kafka.ClusterKeyPartitioner;
import io.meridian.inventory.persistence.PartitionClaims.Claim;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Which clusters this replica connects and writes to: those whose {@code fleet.clusters.v1} partition the Kafka
 * consumer group assigned to it, and whose claim ({@link io.meridian.inventory.persistence.PartitionClaims}) it holds.
 * A rebalance moves clusters between replicas without a coordinator of our own, and the partitioner guarantees every
 * replica computes the same partition for a cluster; the claim's epoch fences the writes of a replica that lost a
 * partition without noticing.
 */
@ApplicationScoped
public class ClusterOwnership {

    // The epoch of this replica's claim on each assigned partition; UNCLAIMED while the claim failed or another
    // replica's claim fenced this one out.
    private static final long UNCLAIMED = 0;

    private final Map<Integer, Long> partitions = new ConcurrentHashMap<>();
    private volatile int partitionCount;

    void assigned(int topicPartitionCount, Set<Integer> assigned) {
        partitionCount = topicPartitionCount;
        assigned.forEach(p -> partitions.putIfAbsent(p, UNCLAIMED));
    }

    /** The claim on an assigned partition succeeded. */
    void claimed(int partition, long epoch) {
        partitions.computeIfPresent(partition, (p, previous) -> epoch);
    }

    void revoked(Set<Integer> revoked) {
        revoked.forEach(partitions::remove);
    }

    /**
     * Another replica claimed these partitions: this one writes nothing more to their clusters and lets them go,
     * until it claims them again (when that replica releases them, or Kafka assigns them here anew).
     *
     * @return whether any of them was held here at that epoch
     */
    public boolean fenced(Collection<Claim> lost) {
        boolean changed = false;
        for (Claim claim : lost) {
            changed |= partitions.replace(claim.partition(), claim.epoch(), UNCLAIMED);
        }
        return changed;
    }

    public boolean owns(String clusterId) {
        return claim(clusterId).isPresent();
    }

    /** This replica's claim on the cluster's partition, when it owns the cluster. */
    public Optional<Claim> claim(String clusterId) {
        int count = partitionCount;
        if (count <= 0) {
            return Optional.empty();
        }
        int partition = ClusterKeyPartitioner.partitionFor(clusterId.getBytes(StandardCharsets.UTF_8), count);
        Long epoch = partitions.get(partition);
        return epoch == null || epoch == UNCLAIMED ? Optional.empty() : Optional.of(new Claim(partition, epoch));
    }

    /** The partitions Kafka assigned here. */
    public Set<Integer> partitions() {
        return Set.copyOf(partitions.keySet());
    }

    /** The assigned partitions this replica holds no claim on. */
    Set<Integer> unclaimed() {
        return partitions.entrySet().stream()
                .filter(e -> e.getValue() == UNCLAIMED)
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }
}
