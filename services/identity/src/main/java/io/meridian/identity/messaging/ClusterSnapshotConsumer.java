package io.meridian.identity.messaging;

import io.meridian.contracts.fleet.ClusterEvent;
import io.meridian.contracts.fleet.FleetStreams;
import io.meridian.eventing.inbound.SkippedFleetEvents;
import io.meridian.eventing.inbound.TransientFailures;
import io.meridian.identity.reconcile.FleetMembership;
import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Cluster snapshots from the compacted {@code fleet.clusters.v1}, decoded by {@link FleetStreams}: a snapshot is the
 * cluster as it is now, a deregistration or a tombstone removes it, a newer producer's event type is counted and
 * skipped. A readable record whose processing fails is retried with back-off (the database may be away for a while);
 * unreadable records go to {@code fleet.clusters.v1.dlq}.
 */
public class ClusterSnapshotConsumer {

    private final FleetMembership membership;
    private final SkippedFleetEvents skipped;

    ClusterSnapshotConsumer(FleetMembership membership, SkippedFleetEvents skipped) {
        this.membership = membership;
        this.skipped = skipped;
    }

    @Incoming("clusters")
    public Uni<Void> onCluster(ConsumerRecord<String, byte[]> record) {
        return TransientFailures.retried(Uni.createFrom().item(record).chain(this::apply));
    }

    private Uni<Void> apply(ConsumerRecord<String, byte[]> record) {
        return switch (FleetStreams.clusterEvent(record)) {
            case ClusterEvent.Snapshot s -> membership.observed(s.snapshot());
            case ClusterEvent.Deregistered d -> membership.removed(d.clusterId());
            case ClusterEvent.Skipped s -> {
                skipped.count(record, s);
                yield Uni.createFrom().voidItem();
            }
        };
    }
}
