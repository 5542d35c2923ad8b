package io.meridian.inventory.messaging;

import io.meridian.contracts.Topic;
import io.meridian.contracts.fleet.ClusterEvent;
import io.meridian.contracts.fleet.FleetStreams;
import io.meridian.contracts.fleet.ResourceEvent;
import io.meridian.contracts.kafka.UnreadableEventException;
import io.meridian.contracts.resource.ResyncMarker;
import io.meridian.eventing.inbound.SkippedFleetEvents;
import io.meridian.inventory.connect.ClusterConnections;
import io.meridian.inventory.connect.ClusterOwnership;
import io.meridian.inventory.connect.ResourcePublisher;
import io.meridian.inventory.search.ResourceIndex;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps this replica's search index equal to the fleet: every replica reads all of {@code
 * fleet.clusters.v1} and {@code fleet.resources.v1} in its own consumer group. When a cluster's resync
 * completes, objects from older epochs of the kinds it listed vanished while it was away: the index drops them,
 * and the replica that owns the cluster tombstones those its connection confirms are gone now, so every other
 * consumer drops them too. A marker read late (when a replica replays the topic from the start, or lags behind a
 * reconnect) thus never tombstones an object that exists again; one its connection cannot tell of yet (not connected)
 * is owed, and looked at again when the cluster connects and with its next marker, so no tombstone of an object that
 * is gone is lost. The objects of a kind the resync could not list are kept.
 *
 * <p>This is a read model of topics other consumers also read, decoded by {@link FleetStreams}: a record it cannot
 * read is counted and skipped here (the services that act on these topics dead-letter it), and so is a newer
 * producer's event type.
 */
public class FleetViewConsumer {

    private static final Logger LOG = Logger.getLogger(FleetViewConsumer.class);

    private final ResourceIndex index;
    private final ClusterOwnership ownership;
    private final ResourcePublisher publisher;
    private final Counter unreadable;
    private final SkippedFleetEvents skipped;
    private final VanishedObjects vanished;

    FleetViewConsumer(
            ResourceIndex index,
            ClusterOwnership ownership,
            ClusterConnections connections,
            ResourcePublisher publisher,
            MeterRegistry registry,
            SkippedFleetEvents skipped) {
        this.index = index;
        this.ownership = ownership;
        this.publisher = publisher;
        this.skipped = skipped;
        this.vanished = new VanishedObjects(ownership::owns, connections::presence, publisher::deleted);
        connections.onConnected(cluster -> {
            try {
                vanished.connected(cluster);
            } catch (RuntimeException e) {
                // Still owed: the cluster's next marker looks again. The other listeners must still hear of it.
                LOG.warnf(e, "cluster %s: could not look again at the deletions owed for it", cluster);
            }
        });
        this.unreadable = Counter.builder("meridian.inventory.fleet_view.unreadable")
                .description("Records the search index could not read and skipped")
                .register(registry);
    }

    @Incoming("fleet-view")
    public void onBatch(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                apply(record);
            } catch (UnreadableEventException e) {
                unreadable.increment();
                LOG.warnf(
                        "skipping unreadable record %s-%d@%d: %s",
                        record.topic(), record.partition(), record.offset(), e.getMessage());
            }
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.topic().equals(Topic.RESOURCES.topicName())) {
            applyResource(record);
        } else if (record.topic().equals(Topic.CLUSTERS.topicName())) {
            applyCluster(record);
        }
    }

    private void applyResource(ConsumerRecord<String, byte[]> record) {
        // The index keeps no manifest: it is skipped while reading, not built and dropped (most of a record's bytes).
        switch (FleetStreams.resourceEvent(record, FleetStreams.Manifests.SKIPPED)) {
            case ResourceEvent.Observed o -> index.put(o.resource());
            case ResourceEvent.Deleted d -> index.remove(d.key());
            case ResourceEvent.ResyncCompleted c -> {
                ResyncMarker marker = c.marker();
                vanished.settle(marker.clusterId(), index.purgeStale(marker));
                if (!marker.notResynced().isEmpty()) {
                    LOG.debugf(
                            "cluster %s: kept the objects of %s, which its resync %d could not list",
                            marker.clusterId(), marker.notResynced(), marker.epoch());
                }
            }
            case ResourceEvent.ResyncStarted ignored -> {
                // completion is what lets stale objects go
            }
            case ResourceEvent.Skipped s -> skipped.count(record, s);
        }
    }

    private void applyCluster(ConsumerRecord<String, byte[]> record) {
        switch (FleetStreams.clusterEvent(record)) {
            case ClusterEvent.Snapshot s ->
                index.clusterCloud(
                        s.snapshot().clusterId(), s.snapshot().cloud().wireName());
            case ClusterEvent.Deregistered d -> {
                // Its tombstone follows a deregistration: the second time there is nothing left to forget.
                vanished.forget(d.clusterId());
                List<String> keys = index.forgetCluster(d.clusterId());
                if (!keys.isEmpty() && ownership.owns(d.clusterId())) {
                    keys.forEach(key -> publisher.deleted(d.clusterId(), key));
                }
            }
            case ClusterEvent.Skipped s -> skipped.count(record, s);
        }
    }
}
