package io.meridian.placement.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.Topic;
import io.meridian.contracts.kafka.ClusterKeyPartitioner;
import io.meridian.contracts.placement.PlacementKey;
import io.meridian.eventing.catchup.FleetViewCatchUp;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class WorkloadOwnershipTest {

    private static final int PARTITIONS = 3;
    private static final List<String> WORKLOADS =
            IntStream.range(0, 60).mapToObj(i -> "workload-" + i).toList();

    @Test
    void aWorkloadBelongsToThePartitionTheProducerWritesItsDecisionTo() {
        Node broker = new Node(0, "localhost", 9092);
        List<PartitionInfo> infos = IntStream.range(0, PARTITIONS)
                .mapToObj(p -> new PartitionInfo(Topic.PLACEMENT.topicName(), p, broker, null, null))
                .toList();
        Cluster cluster = new Cluster("test", List.of(broker), infos, Set.of(), Set.of());
        ClusterKeyPartitioner producer = new ClusterKeyPartitioner();
        for (String name : WORKLOADS) {
            byte[] key = PlacementKey.decision(name).value().getBytes(StandardCharsets.UTF_8);
            assertThat(WorkloadOwnership.partitionOf(name, PARTITIONS))
                    .as(name)
                    .isEqualTo(producer.partition(Topic.PLACEMENT.topicName(), name, key, null, null, cluster));
        }
    }

    @Test
    void beforeAnyAssignmentThisReplicaOwnsNothing() {
        assertThat(WORKLOADS).noneMatch(new WorkloadOwnership()::owns);
    }

    @Test
    void readinessWaitsForTheGroupsFirstAssignmentEvenAnEmptyOne() {
        WorkloadOwnership first = new WorkloadOwnership();
        WorkloadOwnership spare = new WorkloadOwnership();
        PlacementReadiness ready = new PlacementReadiness(caughtUp(), first);
        assertThat(first.hasJoined()).isFalse();
        assertThat(ready.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);

        first.assigned(PARTITIONS, Set.of(0, 1, 2));
        spare.joined(); // a replica more than the topic has partitions: nothing to own, but settled
        first.revoked(Set.of(0, 1, 2));

        assertThat(ready.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(first.hasJoined())
                .as("a revocation does not undo membership")
                .isTrue();
        assertThat(spare.hasJoined()).isTrue();
        assertThat(WORKLOADS).noneMatch(spare::owns);
    }

    /** The streams placement's fleet view is built from (its {@code meridian.eventing.fleet-view.streams}). */
    static final Set<String> PLACEMENT_STREAMS = Set.of(
            io.meridian.contracts.Topic.CLUSTERS.topicName(),
            io.meridian.contracts.Topic.RESOURCES.topicName(),
            io.meridian.contracts.Topic.COST.topicName());

    /** A fleet view that read its (empty) streams to the end. */
    static FleetViewCatchUp caughtUp() {
        FleetViewCatchUp catchUp = new FleetViewCatchUp(PLACEMENT_STREAMS);
        var consumer = new org.apache.kafka.clients.consumer.MockConsumer<String, byte[]>("earliest");
        var partitions = java.util.stream.Stream.of(
                        io.meridian.contracts.Topic.CLUSTERS,
                        io.meridian.contracts.Topic.RESOURCES,
                        io.meridian.contracts.Topic.COST)
                .map(t -> new org.apache.kafka.common.TopicPartition(t.topicName(), 0))
                .toList();
        consumer.assign(partitions);
        var zero = partitions.stream().collect(java.util.stream.Collectors.toMap(tp -> tp, tp -> 0L));
        consumer.updateBeginningOffsets(zero);
        consumer.updateEndOffsets(zero);
        catchUp.assigned(consumer, partitions);
        assertThat(catchUp.caughtUp()).isTrue();
        return catchUp;
    }

    @Test
    void twoReplicasSplittingThePartitionsOwnEveryWorkloadExactlyOnce() {
        WorkloadOwnership a = new WorkloadOwnership();
        WorkloadOwnership b = new WorkloadOwnership();
        a.assigned(PARTITIONS, Set.of(0, 2));
        b.assigned(PARTITIONS, Set.of(1));

        for (String name : WORKLOADS) {
            assertThat(a.owns(name) ^ b.owns(name)).as(name).isTrue();
        }
        // Both own some: the names spread over the partitions.
        assertThat(WORKLOADS).anyMatch(a::owns).anyMatch(b::owns);
    }

    @Test
    void aRebalanceHandsTheRevokedPartitionsWorkloadsOverAndTellsWhatWasGained() {
        WorkloadOwnership a = new WorkloadOwnership();
        WorkloadOwnership b = new WorkloadOwnership();
        assertThat(a.assigned(PARTITIONS, Set.of(0, 1, 2))).containsExactly(0, 1, 2);
        String moved = WORKLOADS.stream()
                .filter(n -> WorkloadOwnership.partitionOf(n, PARTITIONS) == 1)
                .findFirst()
                .orElseThrow();

        // b joins: a cooperative rebalance takes partition 1 from a and gives it to b.
        a.revoked(Set.of(1));
        assertThat(b.assigned(PARTITIONS, Set.of(1))).containsExactly(1);
        assertThat(a.owns(moved)).isFalse();
        assertThat(b.owns(moved)).isTrue();
        assertThat(a.partitions()).containsExactly(0, 2);

        // An eager rebalance re-assigns what a already held: nothing gained, nothing to look at again.
        assertThat(a.assigned(PARTITIONS, Set.of(0, 2))).isEmpty();
    }

    @Test
    void theQueueTakesOnlyOwnedWorkloadsFromAWakeUpOfManyButAnyFromASingleChange() throws InterruptedException {
        WorkloadOwnership ownership = new WorkloadOwnership();
        ownership.assigned(PARTITIONS, Set.of(0));
        ReconcileQueue queue = new ReconcileQueue(Clock.systemUTC(), ownership::owns, Duration.ZERO);
        try {
            queue.addAll(WORKLOADS); // the periodic resync
            List<String> taken = new ArrayList<>();
            while (queue.depth() > 0) {
                String name = queue.take();
                taken.add(name);
                queue.done(name);
            }
            assertThat(taken)
                    .isNotEmpty()
                    .containsExactlyElementsOf(
                            WORKLOADS.stream().filter(ownership::owns).toList());

            String other = WORKLOADS.stream()
                    .filter(n -> !ownership.owns(n))
                    .findFirst()
                    .orElseThrow();
            queue.add(other); // an API write this replica took: reconciled here at once
            assertThat(queue.take()).isEqualTo(other);
        } finally {
            queue.close();
        }
    }
}
