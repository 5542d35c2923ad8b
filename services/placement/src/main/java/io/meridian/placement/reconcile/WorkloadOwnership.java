package io.meridian.placement.reconcile;

import io.meridian.contracts.Topic;
import io.meridian.contracts.kafka.ClusterKeyPartitioner;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which workloads this replica reconciles on fleet events and periodic resync: those whose {@code fleet.placement.v1}
 * partition the consumer group {@code placement-workload-owners} assigned to it (ADR 0011), as inventory splits
 * clusters by the partitions of {@code fleet.clusters.v1} (ADR 0005). A rebalance hands workloads over without a
 * coordinator of our own; the advisory locks keep a moment of two owners, or an API write's reconcile on another
 * replica, safe.
 */
@ApplicationScoped
public class WorkloadOwnership {

    /**
     * The partitions assigned, out of how many the topic has; no partitions before the first assignment. {@code
     * joined}: the group has given this replica an assignment at least once, even an empty one.
     */
    private record Owned(int partitionCount, Set<Integer> partitions, boolean joined) {
        Owned {
            partitions = Set.copyOf(partitions);
        }
    }

    // Replaced whole, so that a reader sees one assignment, never half of a change.
    private volatile Owned owned = new Owned(0, Set.of(), false);

    /**
     * The partition of {@code fleet.placement.v1} the producer writes a workload's decision to: the one its key (the
     * bare workload name) goes to under {@link ClusterKeyPartitioner}, which the outbox relay uses.
     */
    public static int partitionOf(String workload, int partitionCount) {
        // PlacementKey.decision(workload).value(): the bare name, whatever the name (the filter must never throw).
        String key = workload;
        String routing = Topic.PLACEMENT.clusterIdOf(key).orElse(key);
        return ClusterKeyPartitioner.partitionFor(routing.getBytes(StandardCharsets.UTF_8), partitionCount);
    }

    /**
     * The group assigned these partitions of a topic of {@code partitionCount}; the assignment so far is kept (a
     * cooperative rebalance hands over only what moves). Returns the partitions this replica did not hold before,
     * whose workloads it must look at now.
     */
    public synchronized Set<Integer> assigned(int partitionCount, Set<Integer> partitions) {
        Owned before = owned;
        Set<Integer> now = new HashSet<>(before.partitionCount() == partitionCount ? before.partitions() : Set.of());
        Set<Integer> gained = new TreeSet<>(partitions);
        gained.removeAll(now);
        now.addAll(partitions);
        owned = new Owned(partitionCount, now, true);
        return gained;
    }

    /**
     * The group finished a rebalance that gave this replica nothing new (possibly nothing at all, when the group has
     * more replicas than the topic has partitions): it is a member, and what it holds is settled.
     */
    public synchronized void joined() {
        Owned before = owned;
        owned = new Owned(before.partitionCount(), before.partitions(), true);
    }

    /** Whether the group has assigned this replica its share at least once (readiness waits for it). */
    public boolean hasJoined() {
        return owned.joined();
    }

    /** The group took these partitions away (revoked or lost): another replica reconciles their workloads now. */
    public synchronized void revoked(Set<Integer> partitions) {
        Owned before = owned;
        Set<Integer> now = new HashSet<>(before.partitions());
        now.removeAll(partitions);
        owned = new Owned(before.partitionCount(), now, before.joined());
    }

    /** Whether this replica reconciles {@code workload} on fleet events and resync. */
    public boolean owns(String workload) {
        Owned o = owned;
        return o.partitionCount() > 0 && o.partitions().contains(partitionOf(workload, o.partitionCount()));
    }

    /** Whether {@code workload} is in one of {@code partitions} of a topic of {@code partitionCount}. */
    public static boolean in(String workload, int partitionCount, Set<Integer> partitions) {
        return partitionCount > 0 && partitions.contains(partitionOf(workload, partitionCount));
    }

    /** The partitions held now, for logs and readiness. */
    public Set<Integer> partitions() {
        return new TreeSet<>(owned.partitions());
    }
}
