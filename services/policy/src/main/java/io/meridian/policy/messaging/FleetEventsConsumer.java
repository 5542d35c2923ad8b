package io.meridian.policy.messaging;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.EventType;
import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.kafka.CloudEventHeaders;
import io.meridian.contracts.kafka.UnreadableEventException;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.resource.ResyncMarker;
import io.meridian.eventing.inbound.IncomingEvents;
import io.meridian.policy.reconcile.ComplianceReconciler;
import io.smallrye.reactive.messaging.annotations.Blocking;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads the fleet as it is: clusters from {@code fleet.clusters.v1} (for fleet scopes) and objects from {@code
 * fleet.resources.v1} (to evaluate). Every replica reads both compacted topics whole from the start, so its
 * in-memory view is rebuilt on start; an unreadable record goes to the topic's {@code .dlq} with its reason.
 */
public class FleetEventsConsumer {

    private final ComplianceReconciler reconciler;

    FleetEventsConsumer(ComplianceReconciler reconciler) {
        this.reconciler = reconciler;
    }

    @Incoming("clusters")
    @Blocking(ordered = true)
    public void onCluster(ConsumerRecord<String, byte[]> record) {
        String key = IncomingEvents.requireKey(record);
        if (record.value() == null && record.headers().lastHeader(CloudEventHeaders.TYPE) == null) {
            reconciler.clusterGone(key); // compaction's bare tombstone
            return;
        }
        CloudEvent event = IncomingEvents.read(record);
        EventType type = EventType.of(event.type())
                .orElseThrow(() -> new UnreadableEventException("unknown event type '" + event.type() + "'"));
        switch (type) {
            case CLUSTER_REGISTERED, CLUSTER_UPDATED, CLUSTER_STATUS_CHANGED ->
                reconciler.cluster(IncomingEvents.data(event, ClusterSnapshot.class));
            case CLUSTER_DEREGISTERED -> reconciler.clusterGone(key);
            default ->
                throw new UnreadableEventException(
                        "event type '" + event.type() + "' does not belong on fleet.clusters.v1");
        }
    }

    @Incoming("resources")
    @Blocking(ordered = true)
    public void onResource(ConsumerRecord<String, byte[]> record) {
        String key = IncomingEvents.requireKey(record);
        if (record.value() == null) {
            // a tombstone: RESOURCE_DELETED in its headers, or bare from compaction tooling
            if (!key.endsWith("/" + ResyncMarker.KEY_SUFFIX)) {
                reconciler.deleted(key);
            }
            return;
        }
        CloudEvent event = IncomingEvents.read(record);
        EventType type = EventType.of(event.type())
                .orElseThrow(() -> new UnreadableEventException("unknown event type '" + event.type() + "'"));
        switch (type) {
            case RESOURCE_OBSERVED -> reconciler.observed(IncomingEvents.data(event, ObservedResource.class));
            case RESOURCE_DELETED -> reconciler.deleted(key);
            case RESOURCE_RESYNC_COMPLETED -> {
                ResyncMarker marker = IncomingEvents.data(event, ResyncMarker.class);
                reconciler.resyncCompleted(marker.clusterId(), marker.epoch());
            }
            case RESOURCE_RESYNC_STARTED -> {
                // completion is what lets stale objects go
            }
            default ->
                throw new UnreadableEventException(
                        "event type '" + event.type() + "' does not belong on fleet.resources.v1");
        }
    }
}
