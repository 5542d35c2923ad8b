package io.meridian.placement.messaging;

import io.meridian.contracts.fleet.ClusterEvent;
import io.meridian.contracts.fleet.FleetStreams;
import io.meridian.contracts.fleet.ResourceEvent;
import io.meridian.eventing.catchup.FleetViewCatchUp;
import io.meridian.eventing.inbound.DeadLetters;
import io.meridian.eventing.inbound.SkippedFleetEvents;
import io.meridian.placement.reconcile.FleetViewCache;
import io.meridian.placement.reconcile.PlacementReconciler;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.reactive.messaging.annotations.Blocking;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Clusters from {@code fleet.clusters.v1} and observed objects from {@code fleet.resources.v1}, decoded by {@link
 * FleetStreams} into the {@link FleetViewCache}; each change wakes the workloads it may affect. Every replica reads
 * both compacted topics whole in a group of its own, so the view is rebuilt on start. A newer producer's event type is
 * counted and skipped; an unreadable record goes to the topic's {@code .dlq} with its reason.
 */
public class FleetStreamsConsumer {

    private final FleetViewCache fleet;
    private final FleetViewCatchUp catchUp;
    private final PlacementReconciler reconciler;
    private final SkippedFleetEvents skipped;
    private final DeadLetters deadLetters;

    FleetStreamsConsumer(
            FleetViewCache fleet,
            FleetViewCatchUp catchUp,
            PlacementReconciler reconciler,
            SkippedFleetEvents skipped,
            DeadLetters deadLetters) {
        this.fleet = fleet;
        this.catchUp = catchUp;
        this.reconciler = reconciler;
        this.skipped = skipped;
        this.deadLetters = deadLetters;
    }

    /** Cheap (the view changes in memory and work is only scheduled); an unreadable record fails to the DLQ. */
    @Incoming("clusters")
    @NonBlocking
    public void onCluster(ConsumerRecord<String, byte[]> record) {
        try {
            reconciler.wake(
                    switch (FleetStreams.clusterEvent(record)) {
                        case ClusterEvent.Snapshot s -> fleet.cluster(s.snapshot());
                        case ClusterEvent.Deregistered d -> fleet.clusterGone(d.clusterId());
                        case ClusterEvent.Skipped s -> {
                            skipped.count(record, s);
                            yield FleetViewCache.Affected.NOTHING;
                        }
                    });
        } finally {
            catchUp.read(record.topic(), record.partition(), record.offset());
        }
    }

    /**
     * A poll at a time: the topic is the busiest of the fleet and each record only adjusts the view. An unreadable
     * record is dead-lettered by itself ({@link DeadLetters}); the connector could only send the whole batch.
     */
    @Incoming("resources")
    @Blocking(ordered = true)
    public void onResources(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                reconciler.wake(apply(record));
            } catch (RuntimeException e) {
                deadLetters.send(record, e);
            } finally {
                catchUp.read(record.topic(), record.partition(), record.offset());
            }
        }
    }

    private FleetViewCache.Affected apply(ConsumerRecord<String, byte[]> record) {
        return switch (FleetStreams.resourceEvent(record)) {
            case ResourceEvent.Observed o -> fleet.observed(o.resource());
            case ResourceEvent.Deleted d -> fleet.deleted(d.key());
            case ResourceEvent.ResyncCompleted c -> fleet.resyncCompleted(c.marker());
            case ResourceEvent.ResyncStarted ignored -> FleetViewCache.Affected.NOTHING; // completion says what went
            case ResourceEvent.Skipped s -> {
                skipped.count(record, s);
                yield FleetViewCache.Affected.NOTHING;
            }
        };
    }
}
