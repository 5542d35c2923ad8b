package io.meridian.identity.messaging;

import io.meridian.contracts.fleet.FleetStreams;
import io.meridian.contracts.fleet.ResourceEvent;
import io.meridian.eventing.inbound.IncomingEvents;
import io.meridian.eventing.inbound.SkippedFleetEvents;
import io.meridian.eventing.inbound.TransientFailures;
import io.meridian.identity.domain.ObservedRbac;
import io.meridian.identity.persistence.ObservedRbacStore;
import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * RBAC objects observed on clusters, from {@code fleet.resources.v1}; every other kind is passed over by its key alone,
 * without decoding or a database round trip. RBAC records and resync markers are decoded by {@link FleetStreams}: a
 * newer producer's event type is counted and skipped, a readable record whose processing fails is retried with
 * back-off, and an unreadable one goes to {@code fleet.resources.v1.dlq}.
 */
public class ObservedRbacConsumer {

    private static final String RBAC_GROUP = "rbac.authorization.k8s.io";

    private final ObservedRbacStore store;
    private final SkippedFleetEvents skipped;

    ObservedRbacConsumer(ObservedRbacStore store, SkippedFleetEvents skipped) {
        this.store = store;
        this.skipped = skipped;
    }

    @Incoming("resources")
    public Uni<Void> onResource(ConsumerRecord<String, byte[]> record) {
        return TransientFailures.retried(Uni.createFrom().item(record).chain(r -> {
            String key = IncomingEvents.requireKey(r);
            if (!FleetStreams.isResyncMarkerKey(key) && !isRbac(key)) {
                return Uni.createFrom().voidItem();
            }
            return switch (FleetStreams.resourceEvent(r, FleetStreams.Manifests.SKIPPED)) {
                case ResourceEvent.Observed o -> store.observed(key, o.resource());
                case ResourceEvent.Deleted d -> store.deleted(d.key());
                case ResourceEvent.ResyncCompleted c -> store.resynced(c.marker());
                // completion is what lets stale bindings go
                case ResourceEvent.ResyncStarted ignored -> Uni.createFrom().voidItem();
                case ResourceEvent.Skipped s -> {
                    skipped.count(r, s);
                    yield Uni.createFrom().voidItem();
                }
            };
        }));
    }

    /** Whether a key ({@code clusterId/group/kind/namespace/name}) names an RBAC object identity keeps. */
    private static boolean isRbac(String key) {
        String[] segments = key.split("/", 5);
        return segments.length == 5 && RBAC_GROUP.equals(segments[1]) && ObservedRbac.KINDS.contains(segments[2]);
    }
}
