package io.meridian.cost.messaging;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.EventType;
import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.kafka.CloudEventHeaders;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.resource.ResyncMarker;
import io.meridian.cost.reconcile.CostModel;
import io.meridian.eventing.inbound.IncomingEvents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Cluster registrations and observed objects, read whole from the compacted topics by every replica (the model is
 * in memory, so a restart rebuilds it by reading them again). Unreadable records go to the topic's {@code .dlq}.
 */
public class FleetConsumer {

    private final CostModel model;

    FleetConsumer(CostModel model) {
        this.model = model;
    }

    @Incoming("clusters")
    public void onCluster(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null && record.headers().lastHeader(CloudEventHeaders.TYPE) == null) {
            model.clusterGone(IncomingEvents.requireKey(record));
            return;
        }
        CloudEvent event = IncomingEvents.read(record);
        EventType type = EventType.of(event.type()).orElse(null);
        if (type == EventType.CLUSTER_DEREGISTERED) {
            model.clusterGone(record.key());
            return;
        }
        model.cluster(IncomingEvents.data(event, ClusterSnapshot.class));
    }

    @Incoming("resources")
    public void onResource(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null && record.headers().lastHeader(CloudEventHeaders.TYPE) == null) {
            model.deleted(IncomingEvents.requireKey(record)); // a bare tombstone
            return;
        }
        CloudEvent event = IncomingEvents.read(record);
        EventType type = EventType.of(event.type()).orElse(null);
        if (type == null) {
            return; // a newer type this version does not know
        }
        switch (type) {
            case RESOURCE_OBSERVED -> model.observed(IncomingEvents.data(event, ObservedResource.class));
            case RESOURCE_DELETED -> model.deleted(record.key());
            case RESOURCE_RESYNC_COMPLETED -> {
                ResyncMarker marker = IncomingEvents.data(event, ResyncMarker.class);
                model.resyncCompleted(marker.clusterId(), marker.epoch());
            }
            default -> {
                // a resync start changes nothing: its completion says what vanished
            }
        }
    }
}
