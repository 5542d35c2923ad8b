package io.meridian.observability.messaging;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.kafka.CloudEventHeaders;
import io.meridian.contracts.kafka.ClusterKeyPartitioner;
import io.meridian.contracts.metrics.MetricsBatch;
import io.meridian.eventing.kafka.KafkaConnection;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes one {@code MetricsBatch} per scrape on {@code fleet.metrics.v1}, keyed and partitioned by
 * clusterId. Straight to Kafka, not through the outbox: a scrape changes no database state, so there is
 * no write for the event to be atomic with, and a lost batch is replaced by the next scrape.
 */
@ApplicationScoped
public class MetricsPublisher {

    private static final URI SOURCE = URI.create("/meridian/observability");
    /** The header naming the replica that scraped a batch (a random id per start). */
    static final String REPLICA_HEADER = "meridian-replica";

    private final byte[] replica = UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);

    private final KafkaProducer<String, byte[]> producer;
    private final Clock clock;

    MetricsPublisher(KafkaConnection kafka, Clock clock) {
        this.clock = clock;
        this.producer = new KafkaProducer<>(
                kafka.clientProperties(
                        "observability-metrics",
                        Map.of(
                                ProducerConfig.ACKS_CONFIG,
                                "all",
                                ProducerConfig.LINGER_MS_CONFIG,
                                20,
                                ProducerConfig.COMPRESSION_TYPE_CONFIG,
                                "lz4",
                                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                                8 * 1024 * 1024,
                                ProducerConfig.PARTITIONER_CLASS_CONFIG,
                                ClusterKeyPartitioner.class.getName())),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    public CompletableFuture<Void> publish(MetricsBatch batch) {
        CloudEvent event = CloudEvent.of(
                EventType.METRICS_SAMPLED,
                SOURCE,
                batch.clusterId(),
                OffsetDateTime.now(clock),
                EventJson.write(batch));
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(EventType.METRICS_SAMPLED.topic().topicName(), batch.key(), event.data());
        CloudEventHeaders.write(event, record.headers());
        record.headers().add(REPLICA_HEADER, replica);
        CompletableFuture<Void> sent = new CompletableFuture<>();
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                sent.completeExceptionally(error);
            } else {
                sent.complete(null);
            }
        });
        return sent;
    }

    /** Whether a record on {@code fleet.metrics.v1} is a batch this replica (in this run) published. */
    public boolean publishedHere(Headers headers) {
        Header header = headers.lastHeader(REPLICA_HEADER);
        return header != null && Arrays.equals(header.value(), replica);
    }

    void close(@Observes ShutdownEvent shutdown) {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
