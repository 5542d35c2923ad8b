package io.meridian.inventory.connect;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.kafka.CloudEventHeaders;
import io.meridian.contracts.kafka.ClusterKeyPartitioner;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.resource.ResyncMarker;
import io.meridian.contracts.resource.ResyncMarker.GroupKind;
import io.meridian.eventing.kafka.KafkaConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Publishes observed objects to {@code fleet.resources.v1}. Unlike registry changes this goes straight
 * to Kafka, not through the outbox: observed state is not a database write, the cluster is its source
 * of truth, and every (re)connect republishes it whole behind a resync marker, so a record lost in a
 * crash is repaired by the next resync rather than by a durable queue of 100,000 rows.
 */
@ApplicationScoped
public class ResourcePublisher implements ResourceFeed {

    private static final Logger LOG = Logger.getLogger(ResourcePublisher.class);
    private static final URI SOURCE = URI.create("/meridian/inventory");

    private final KafkaProducer<String, byte[]> producer;
    private final Clock clock;
    private final Counter published;
    private final Counter tombstones;

    ResourcePublisher(KafkaConnection kafka, Clock clock, MeterRegistry registry) {
        Properties props = kafka.clientProperties(
                "inventory-resources",
                Map.of(
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        "true",
                        ProducerConfig.LINGER_MS_CONFIG,
                        "5",
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        "262144",
                        ProducerConfig.PARTITIONER_CLASS_CONFIG,
                        ClusterKeyPartitioner.class.getName()));
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.clock = clock;
        this.published = Counter.builder("meridian.inventory.resources.published")
                .description("Observed objects published to fleet.resources.v1")
                .register(registry);
        this.tombstones = Counter.builder("meridian.inventory.resources.tombstoned")
                .description("Deletions published to fleet.resources.v1")
                .register(registry);
    }

    @Override
    public void observed(ObservedResource resource) {
        send(EventType.RESOURCE_OBSERVED, resource.key(), resource.clusterId(), EventJson.write(resource));
        published.increment();
    }

    /** A deletion: a tombstone whose headers say what was deleted. */
    @Override
    public void deleted(String clusterId, String key) {
        send(EventType.RESOURCE_DELETED, key, clusterId, null);
        tombstones.increment();
    }

    @Override
    public void resyncStarted(String clusterId, long epoch) {
        ResyncMarker marker = new ResyncMarker(clusterId, epoch, ResyncMarker.Phase.Started, null, clock.instant());
        send(EventType.RESOURCE_RESYNC_STARTED, marker.key(), clusterId, EventJson.write(marker));
    }

    @Override
    public void resyncCompleted(String clusterId, long epoch, int objectCount, List<GroupKind> notResynced) {
        ResyncMarker marker = new ResyncMarker(
                clusterId, epoch, ResyncMarker.Phase.Completed, objectCount, clock.instant(), notResynced);
        send(EventType.RESOURCE_RESYNC_COMPLETED, marker.key(), clusterId, EventJson.write(marker));
    }

    private void send(EventType type, String key, String clusterId, byte[] data) {
        CloudEvent event = CloudEvent.of(type, SOURCE, clusterId, OffsetDateTime.now(clock), data);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topic.RESOURCES.topicName(), key, data);
        CloudEventHeaders.write(event, record.headers());
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                // The next resync of this cluster republishes it; say so rather than fail the watch.
                LOG.warnf("could not publish %s of cluster %s (%s); the next resync repairs it", key, clusterId, error);
            }
        });
    }

    void close(@Observes ShutdownEvent event) {
        producer.close();
    }
}
