package io.meridian.inventory.messaging;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.EventType;
import io.meridian.eventing.inbound.IncomingEvents;
import io.meridian.inventory.connect.ClusterConnections;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Registry changes on {@code fleet.clusters.v1} tell the replica that owns the cluster's partition to
 * look at it again. Status snapshots are this service's own output and need no reaction.
 */
public class ClusterEventsConsumer {

    private final ClusterConnections connections;

    ClusterEventsConsumer(ClusterConnections connections) {
        this.connections = connections;
    }

    @Incoming("cluster-events")
    public void onClusterEvent(ConsumerRecord<String, byte[]> record) {
        CloudEvent event = IncomingEvents.read(record);
        EventType type = EventType.of(event.type()).orElse(null);
        if (type == EventType.CLUSTER_STATUS_CHANGED) {
            return;
        }
        connections.reconcileAsync(record.key());
    }
}
