package io.meridian.identity.messaging;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.EventType;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.resource.ResyncMarker;
import io.meridian.eventing.inbound.IncomingEvents;
import io.meridian.eventing.inbound.TransientFailures;
import io.meridian.identity.domain.ObservedRbac;
import io.meridian.identity.persistence.ObservedRbacStore;
import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * RBAC objects observed on clusters, from {@code fleet.resources.v1}; every other kind is skipped without a database
 * round trip (the key names the kind). A readable record whose processing fails is retried with back-off;
 * unreadable RBAC records go to {@code fleet.resources.v1.dlq}.
 */
public class ObservedRbacConsumer {

    private final ObservedRbacStore store;

    ObservedRbacConsumer(ObservedRbacStore store) {
        this.store = store;
    }

    @Incoming("resources")
    public Uni<Void> onResource(ConsumerRecord<String, byte[]> record) {
        return TransientFailures.retried(Uni.createFrom().item(record).chain(r -> {
            String key = IncomingEvents.requireKey(r);
            String[] segments = key.split("/", 5);
            if (segments.length == 2 && key.endsWith(ResyncMarker.KEY_SUFFIX)) {
                if (r.value() == null) {
                    return Uni.createFrom().voidItem();
                }
                CloudEvent event = IncomingEvents.read(r);
                if (EventType.of(event.type()).orElse(null) != EventType.RESOURCE_RESYNC_COMPLETED) {
                    return Uni.createFrom().voidItem();
                }
                ResyncMarker marker = IncomingEvents.data(event, ResyncMarker.class);
                return store.resynced(marker.clusterId(), marker.epoch());
            }
            if (segments.length != 5
                    || !"rbac.authorization.k8s.io".equals(segments[1])
                    || !ObservedRbac.KINDS.contains(segments[2])) {
                return Uni.createFrom().voidItem();
            }
            if (r.value() == null) {
                return store.deleted(key);
            }
            CloudEvent event = IncomingEvents.read(r);
            if (EventType.of(event.type()).orElse(null) == EventType.RESOURCE_DELETED) {
                return store.deleted(key);
            }
            return store.observed(key, IncomingEvents.data(event, ObservedResource.class));
        }));
    }
}
