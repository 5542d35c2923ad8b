package io.meridian.inventory.messaging;

import io.meridian.contracts.EventType;
import io.meridian.contracts.fleet.ClusterEvent;
import io.meridian.contracts.fleet.FleetStreams;
import io.meridian.eventing.inbound.SkippedFleetEvents;
import io.meridian.inventory.connect.ClusterConnections;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Registry changes on {@code fleet.clusters.v1}, decoded by {@link FleetStreams}, tell the replica that owns the
 * cluster's partition to look at it again. Status snapshots are this service's own output and need no reaction.
 */
public class ClusterEventsConsumer {

    private final ClusterConnections connections;
    private final SkippedFleetEvents skipped;

    ClusterEventsConsumer(ClusterConnections connections, SkippedFleetEvents skipped) {
        this.connections = connections;
        this.skipped = skipped;
    }

    @Incoming("cluster-events")
    public void onClusterEvent(ConsumerRecord<String, byte[]> record) {
        switch (FleetStreams.clusterEvent(record)) {
            case ClusterEvent.Snapshot s when s.type() == EventType.CLUSTER_STATUS_CHANGED -> {
                // our own status output
            }
            case ClusterEvent.Snapshot s -> connections.reconcileAsync(record.key());
            case ClusterEvent.Deregistered d -> connections.reconcileAsync(d.clusterId());
            case ClusterEvent.Skipped s -> {
                skipped.count(record, s);
                // Its data is not ours to read, but a record about a cluster is reason enough to look at the
                // cluster again: the reconcile re-reads the registry, so a needless look changes nothing, and a
                // newer replica's registry change is not missed during a rolling upgrade.
                connections.reconcileAsync(record.key());
            }
        }
    }
}
