package io.meridian.observability.messaging;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.compliance.ComplianceResult;
import io.meridian.contracts.cost.BudgetEvent;
import io.meridian.contracts.fleet.ClusterEvent;
import io.meridian.contracts.fleet.FleetStreams;
import io.meridian.contracts.fleet.PlacementEvent;
import io.meridian.contracts.kafka.CloudEventHeaders;
import io.meridian.contracts.kafka.UnreadableEventException;
import io.meridian.contracts.sync.SyncReport;
import io.meridian.eventing.catchup.FleetViewCatchUp;
import io.meridian.eventing.inbound.SkippedFleetEvents;
import io.meridian.observability.domain.FleetView;
import io.meridian.observability.domain.SeriesStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps this replica's fleet view equal to the streams it judges: cluster snapshots, compliance results,
 * sync reports, budget events and the workloads' placement facts, each replica in its own group from the beginning
 * (compacted topics are the state); {@code fleet.clusters.v1} and {@code fleet.placement.v1} are decoded by {@link
 * FleetStreams}. A read model of topics whose owners act on them: an unreadable record is counted and skipped here,
 * as inventory's fleet view does, and so is a newer producer's event type or placement key.
 */
public class FleetEventsConsumer {

    private static final Logger LOG = Logger.getLogger(FleetEventsConsumer.class);

    private final FleetView fleet;
    private final SeriesStore series;
    private final FleetViewCatchUp catchUp;
    private final Counter unreadable;
    private final SkippedFleetEvents skipped;

    FleetEventsConsumer(
            FleetView fleet,
            SeriesStore series,
            FleetViewCatchUp catchUp,
            MeterRegistry registry,
            SkippedFleetEvents skipped) {
        this.fleet = fleet;
        this.series = series;
        this.catchUp = catchUp;
        this.skipped = skipped;
        this.unreadable = Counter.builder("meridian.observability.fleet_view.unreadable")
                .description("Records the fleet view could not read and skipped")
                .register(registry);
    }

    @Incoming("fleet-events")
    public void onBatch(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                apply(record);
            } catch (UnreadableEventException | IllegalArgumentException e) {
                unreadable.increment();
                LOG.warnf(
                        "skipping unreadable record %s-%d@%d: %s",
                        record.topic(), record.partition(), record.offset(), e.getMessage());
            } finally {
                catchUp.read(record.topic(), record.partition(), record.offset());
            }
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.topic().equals(Topic.CLUSTERS.topicName())) {
            applyCluster(record);
            return;
        }
        if (record.topic().equals(Topic.PLACEMENT.topicName())) {
            applyPlacement(record);
            return;
        }
        if (record.value() == null) {
            // A tombstone: the key's state is gone (compliance and sync are compacted by key).
            if (record.key() != null && record.topic().equals(Topic.COMPLIANCE.topicName())) {
                fleet.violation(record.key(), null);
            } else if (record.key() != null && record.topic().equals(Topic.SYNC.topicName())) {
                fleet.sync(record.key(), null);
            }
            return;
        }
        CloudEvent event = CloudEventHeaders.read(record.headers(), record.value());
        EventType type = EventType.of(event.type()).orElse(null);
        if (type == null) {
            return; // a newer type this version does not know: not ours to judge
        }
        switch (type) {
            case VIOLATION_OPENED, VIOLATION_CLOSED ->
                fleet.violation(record.key(), EventJson.read(event.data(), ComplianceResult.class));
            case SYNC_REPORTED -> fleet.sync(record.key(), EventJson.read(event.data(), SyncReport.class));
            case BUDGET_THRESHOLD_CROSSED -> fleet.budget(EventJson.read(event.data(), BudgetEvent.class));
            default -> {
                // drift events, cost summaries: health is judged from sync reports and budget crossings
            }
        }
    }

    private void applyPlacement(ConsumerRecord<String, byte[]> record) {
        switch (FleetStreams.placementEvent(record)) {
            case PlacementEvent.Published p -> fleet.placement(p.fact());
            case PlacementEvent.Removed r -> fleet.placementRemoved(r.key());
            case PlacementEvent.Skipped s -> skipped.count(record, s);
        }
    }

    private void applyCluster(ConsumerRecord<String, byte[]> record) {
        switch (FleetStreams.clusterEvent(record)) {
            case ClusterEvent.Snapshot s -> fleet.cluster(s.snapshot());
            case ClusterEvent.Deregistered d -> {
                // Its tombstone follows a deregistration: forgetting twice is forgetting once.
                fleet.forgetCluster(d.clusterId());
                series.forgetCluster(d.clusterId());
            }
            case ClusterEvent.Skipped s -> skipped.count(record, s);
        }
    }
}
