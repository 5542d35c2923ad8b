package io.meridian.policy.messaging;

import io.meridian.contracts.fleet.ClusterEvent;
import io.meridian.contracts.fleet.FleetStreams;
import io.meridian.contracts.fleet.ResourceEvent;
import io.meridian.eventing.catchup.FleetViewCatchUp;
import io.meridian.eventing.inbound.SkippedFleetEvents;
import io.meridian.policy.reconcile.ComplianceReconciler;
import io.smallrye.reactive.messaging.annotations.Blocking;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads the fleet as it is: clusters from {@code fleet.clusters.v1} (for fleet scopes) and objects from {@code
 * fleet.resources.v1} (to evaluate), decoded by {@link FleetStreams}. Every replica reads both compacted topics whole
 * from the start, so its in-memory view is rebuilt on start; a newer producer's event type is counted and skipped, an
 * unreadable record goes to the topic's {@code .dlq} with its reason.
 */
public class FleetEventsConsumer {

    private final ComplianceReconciler reconciler;
    private final SkippedFleetEvents skipped;
    private final FleetViewCatchUp catchUp;

    FleetEventsConsumer(ComplianceReconciler reconciler, SkippedFleetEvents skipped, FleetViewCatchUp catchUp) {
        this.reconciler = reconciler;
        this.skipped = skipped;
        this.catchUp = catchUp;
    }

    @Incoming("clusters")
    @Blocking(ordered = true)
    public void onCluster(ConsumerRecord<String, byte[]> record) {
        try {
            switch (FleetStreams.clusterEvent(record)) {
                case ClusterEvent.Snapshot s -> reconciler.cluster(s.snapshot());
                case ClusterEvent.Deregistered d -> reconciler.clusterGone(d.clusterId());
                case ClusterEvent.Skipped s -> skipped.count(record, s);
            }
        } finally {
            // A record dead-lettered is read too: the view must not wait for it to be caught up.
            catchUp.read(record.topic(), record.partition(), record.offset());
        }
    }

    @Incoming("resources")
    @Blocking(ordered = true)
    public void onResource(ConsumerRecord<String, byte[]> record) {
        try {
            switch (FleetStreams.resourceEvent(record)) {
                case ResourceEvent.Observed o -> reconciler.observed(o.resource());
                case ResourceEvent.Deleted d -> reconciler.deleted(d.key());
                case ResourceEvent.ResyncCompleted c -> reconciler.resyncCompleted(c.marker());
                case ResourceEvent.ResyncStarted ignored -> {
                    // completion is what lets stale objects go
                }
                case ResourceEvent.Skipped s -> skipped.count(record, s);
            }
        } finally {
            catchUp.read(record.topic(), record.partition(), record.offset());
        }
    }
}
