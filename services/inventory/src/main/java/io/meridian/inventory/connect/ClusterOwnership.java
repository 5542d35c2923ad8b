package io.meridian.inventory.connect;

import io.meridian.contracts.kafka.ClusterKeyPartitioner;
import io.meridian.inventory.persistence.PartitionClaims.Claim;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * Which clusters this replica watches and writes to: it watches those whose {@code fleet.clusters.v1} partition the
 * Kafka consumer group assigned to it, unless another replica's claim fenced it out there; it writes to them only once
 * it holds the partition's claim ({@link io.meridian.inventory.persistence.PartitionClaims}). A rebalance moves clusters
 * between replicas without a coordinator of our own, and the partitioner guarantees every replica computes the same
 * partition for a cluster; the claim's epoch fences the writes of a replica that lost a partition without noticing.
 */
@ApplicationScoped
public class ClusterOwnership {

    // Per assigned partition, the epoch of this replica's claim, or one of these: PENDING while the claim could not be
    // made yet (database away: the clusters are watched, not written to); FENCED once another replica's claim took it
    // over (neither watched nor written to, until this replica holds the claim again).
    private static final long PENDING = 0;
    private static final long FENCED = -1;
    private final Map<Integer, Long> partitions = new ConcurrentHashMap<>();
    private final List<java.util.function.Consumer<Set<Integer>>> claimListeners = new CopyOnWriteArrayList<>();
    private volatile int partitionCount;

    void assigned(int topicPartitionCount, Set<Integer> assigned) {
        partitionCount = topicPartitionCount;
        assigned.forEach(p -> partitions.putIfAbsent(p, PENDING));
    }

    /**
     * Tells {@code listener} the partitions whenever claims on them were made after the assignment (clusters already
     * watched may now be written).
     */
    public void onClaimed(java.util.function.Consumer<Set<Integer>> listener) {
        claimListeners.add(listener);
    }

    void claimsMade(Set<Integer> claimed) {
        Set<Integer> partitions = Set.copyOf(claimed);
        claimListeners.forEach(listener -> listener.accept(partitions));
    }

    /** The partition of {@code fleet.clusters.v1} a cluster's events are on; -1 before the first assignment. */
    public int partitionOf(String clusterId) {
        int count = partitionCount;
        return count <= 0 ? -1 : ClusterKeyPartitioner.partitionFor(clusterId.getBytes(StandardCharsets.UTF_8), count);
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
            changed |= partitions.replace(claim.partition(), claim.epoch(), FENCED);
        }
        return changed;
    }

    /** Whether this replica watches the cluster: its partition is assigned here and no other replica fenced it out. */
    public boolean owns(String clusterId) {
        Long epoch = stateOf(clusterId);
        return epoch != null && epoch != FENCED;
    }

    /** This replica's claim on the cluster's partition, when it may write to the cluster. */
    public Optional<Claim> claim(String clusterId) {
        int partition = partitionOf(clusterId);
        if (partition < 0) {
            return Optional.empty();
        }
        Long epoch = partitions.get(partition);
        return epoch == null || epoch <= PENDING ? Optional.empty() : Optional.of(new Claim(partition, epoch));
    }

    private Long stateOf(String clusterId) {
        int partition = partitionOf(clusterId);
        return partition < 0 ? null : partitions.get(partition);
    }

    /** The partitions Kafka assigned here. */
    public Set<Integer> partitions() {
        return Set.copyOf(partitions.keySet());
    }

    /** The assigned partitions this replica holds no claim on (pending or fenced). */
    Set<Integer> unclaimed() {
        return partitions.entrySet().stream()
                .filter(e -> e.getValue() <= PENDING)
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }
}
