package io.meridian.identity.messaging;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.EventType;
import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.eventing.inbound.IncomingEvents;
import io.meridian.eventing.inbound.TransientFailures;
import io.meridian.identity.reconcile.FleetMembership;
import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Cluster snapshots from the compacted {@code fleet.clusters.v1}: a snapshot is the cluster as it is now, a
 * deregistration or a tombstone removes it. A readable record whose processing fails is retried with back-off
 * (the database may be away for a while); unreadable records go to {@code fleet.clusters.v1.dlq}.
 */
public class ClusterSnapshotConsumer {

    private final FleetMembership membership;

    ClusterSnapshotConsumer(FleetMembership membership) {
        this.membership = membership;
    }

    @Incoming("clusters")
    public Uni<Void> onCluster(ConsumerRecord<String, byte[]> record) {
        return TransientFailures.retried(Uni.createFrom().item(record).chain(r -> {
            String key = IncomingEvents.requireKey(r);
            if (r.value() == null) {
                return membership.removed(key);
            }
            CloudEvent event = IncomingEvents.read(r);
            ClusterSnapshot snapshot = IncomingEvents.data(event, ClusterSnapshot.class);
            if (EventType.of(event.type()).orElse(null) == EventType.CLUSTER_DEREGISTERED) {
                return membership.removed(snapshot.clusterId());
            }
            return membership.observed(snapshot);
        }));
    }
}
