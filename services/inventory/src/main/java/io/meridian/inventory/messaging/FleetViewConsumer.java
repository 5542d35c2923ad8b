package io.meridian.inventory.messaging;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.kafka.CloudEventHeaders;
import io.meridian.contracts.kafka.UnreadableEventException;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.resource.ResyncMarker;
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
 * completes, objects from older epochs vanished while it was away: the index drops them, and the
 * replica that owns the cluster tombstones them so every other consumer drops them too.
 *
 * <p>This is a read model of topics other consumers also read; a record it cannot read is counted and
 * skipped here (the services that act on these topics dead-letter it).
 */
public class FleetViewConsumer {

    private static final Logger LOG = Logger.getLogger(FleetViewConsumer.class);

    private final ResourceIndex index;
    private final ClusterOwnership ownership;
    private final ResourcePublisher publisher;
    private final Counter unreadable;

    FleetViewConsumer(
            ResourceIndex index, ClusterOwnership ownership, ResourcePublisher publisher, MeterRegistry registry) {
        this.index = index;
        this.ownership = ownership;
        this.publisher = publisher;
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
        if (record.value() == null && record.headers().lastHeader(CloudEventHeaders.TYPE) == null) {
            if (record.key() != null && record.topic().equals(io.meridian.contracts.Topic.RESOURCES.topicName())) {
                index.remove(record.key()); // a bare tombstone, e.g. written by compaction tooling
            }
            return;
        }
        CloudEvent event = CloudEventHeaders.read(record.headers(), record.value());
        EventType type = EventType.of(event.type()).orElse(null);
        if (type == null) {
            return; // a newer type this version does not know: not ours to judge
        }
        switch (type) {
            case RESOURCE_OBSERVED ->
                index.put(EventJson.read(event.data(), ObservedResource.class).withoutObject());
            case RESOURCE_DELETED -> index.remove(record.key());
            case RESOURCE_RESYNC_COMPLETED -> {
                ResyncMarker marker = EventJson.read(event.data(), ResyncMarker.class);
                List<String> stale = index.purgeOlderThan(marker.clusterId(), marker.epoch());
                if (!stale.isEmpty() && ownership.owns(marker.clusterId())) {
                    LOG.infof(
                            "cluster %s: %d objects vanished while it was away; publishing their deletion",
                            marker.clusterId(), stale.size());
                    stale.forEach(key -> publisher.deleted(marker.clusterId(), key));
                }
            }
            case CLUSTER_REGISTERED, CLUSTER_UPDATED, CLUSTER_STATUS_CHANGED -> {
                if (event.data() != null) {
                    ClusterSnapshot snapshot = EventJson.read(event.data(), ClusterSnapshot.class);
                    index.clusterCloud(snapshot.clusterId(), snapshot.cloud().wireName());
                }
            }
            case CLUSTER_DEREGISTERED -> {
                if (event.data() != null) {
                    String cluster = record.key();
                    List<String> keys = index.forgetCluster(cluster);
                    if (!keys.isEmpty() && ownership.owns(cluster)) {
                        keys.forEach(key -> publisher.deleted(cluster, key));
                    }
                }
            }
            default -> {
                // resync-started needs no action: completion is what lets stale objects go
            }
        }
    }
}
