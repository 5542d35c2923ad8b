package io.meridian.testsupport;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.kafka.CloudEventHeaders;
import io.meridian.contracts.kafka.ClusterKeyPartitioner;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes events the way Meridian services do (binary CloudEvents, cluster partitioning), for tests. */
public final class EventProducer implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final URI source;

    public EventProducer(String bootstrapServers, String source) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, ClusterKeyPartitioner.class.getName());
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.source = URI.create(source);
    }

    /** Sends an event of a type that travels on one topic with its data and waits until the broker has it. */
    public CloudEvent send(EventType type, String key, String subject, Object data) {
        return send(type.topic().topicName(), type, key, subject, data);
    }

    /** Sends an event to a topic of its type, e.g. an owner's desired topic, and waits until the broker has it. */
    public CloudEvent send(Topic topic, EventType type, String key, String subject, Object data) {
        return send(topic.topicName(), type, key, subject, data);
    }

    /**
     * Sends an event to a topic by name (one outside the catalog, such as a test owner's desired topic) and waits
     * until the broker has it.
     */
    public CloudEvent send(String topic, EventType type, String key, String subject, Object data) {
        CloudEvent event = CloudEvent.of(type, source, subject, OffsetDateTime.now(), EventJson.write(data));
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, event.data());
        CloudEventHeaders.write(event, record.headers());
        producer.send(record);
        producer.flush();
        return event;
    }

    /**
     * Sends an event of a type given by name, such as one only a newer producer knows, with its data, and waits until
     * the broker has it.
     */
    public CloudEvent send(Topic topic, String type, String key, String subject, Object data) {
        CloudEvent event = new CloudEvent(
                UUID.randomUUID().toString(),
                type,
                source,
                subject,
                OffsetDateTime.now(),
                null,
                CloudEvent.JSON,
                EventJson.write(data));
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic.topicName(), key, event.data());
        CloudEventHeaders.write(event, record.headers());
        producer.send(record);
        producer.flush();
        return event;
    }

    /**
     * Sends a tombstone with the CloudEvent attributes of {@code type} in its headers and no data, as the outbox
     * writes one ({@code Outbox.appendTombstone}).
     */
    public void tombstone(EventType type, String key, String subject) {
        tombstone(type.topic().topicName(), type, key, subject);
    }

    /** Sends a tombstone with the CloudEvent attributes of {@code type} to a topic by name, e.g. a desired topic. */
    public void tombstone(String topic, EventType type, String key, String subject) {
        CloudEvent event = CloudEvent.of(type, source, subject, OffsetDateTime.now(), new byte[0]);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, null);
        CloudEventHeaders.write(event, record.headers());
        producer.send(record);
        producer.flush();
    }

    /** Sends a bare Kafka tombstone (no headers), as compaction tooling or an owner might. */
    public void tombstone(String topic, String key) {
        producer.send(new ProducerRecord<>(topic, key, null));
        producer.flush();
    }

    /** Sends raw bytes without CloudEvent headers: an unreadable record. */
    public void sendRaw(String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key, value));
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
