package io.meridian.cost.messaging;

import io.meridian.contracts.fleet.ClusterEvent;
import io.meridian.contracts.fleet.FleetStreams;
import io.meridian.contracts.fleet.ResourceEvent;
import io.meridian.cost.reconcile.CostModel;
import io.meridian.eventing.inbound.SkippedFleetEvents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Cluster registrations and observed objects, read whole from the compacted topics by every replica (the model is
 * in memory, so a restart rebuilds it by reading them again) and decoded by {@link FleetStreams}. A newer producer's
 * event type is counted and skipped; unreadable records go to the topic's {@code .dlq}.
 */
public class FleetConsumer {

    private final CostModel model;
    private final SkippedFleetEvents skipped;

    FleetConsumer(CostModel model, SkippedFleetEvents skipped) {
        this.model = model;
        this.skipped = skipped;
    }

    @Incoming("clusters")
    public void onCluster(ConsumerRecord<String, byte[]> record) {
        switch (FleetStreams.clusterEvent(record)) {
            case ClusterEvent.Snapshot s -> model.cluster(s.snapshot());
            case ClusterEvent.Deregistered d -> model.clusterGone(d.clusterId());
            case ClusterEvent.Skipped s -> skipped.count(record, s);
        }
    }

    @Incoming("resources")
    public void onResource(ConsumerRecord<String, byte[]> record) {
        switch (FleetStreams.resourceEvent(record)) {
            case ResourceEvent.Observed o -> model.observed(o.resource());
            case ResourceEvent.Deleted d -> model.deleted(d.key());
            case ResourceEvent.ResyncCompleted c -> model.resyncCompleted(c.marker());
            case ResourceEvent.ResyncStarted ignored -> {
                // a resync start changes nothing: its completion says what vanished
            }
            case ResourceEvent.Skipped s -> skipped.count(record, s);
        }
    }
}
