package io.meridian.testsupport;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.kafka.CloudEventHeaders;
import io.meridian.contracts.kafka.UnreadableEventException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/**
 * Reads topics from the beginning in the background and keeps every record, so a test can wait for
 * the CloudEvents it expects by type, key or content.
 */
public final class CloudEventCollector implements AutoCloseable {

    /** One record as received; {@code event} is null when the record carries no readable CloudEvent. */
    public record Received(
            String topic, int partition, long offset, String key, Headers headers, byte[] value, CloudEvent event) {

        public String header(String name) {
            return CloudEventHeaders.text(headers, name);
        }

        public boolean isTombstone() {
            return value == null;
        }
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread poller;

    private CloudEventCollector(String bootstrapServers, Collection<String> topics) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-collector-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(topics);
        poller = Thread.ofPlatform().daemon().name("cloud-event-collector").start(this::poll);
    }

    /** Starts collecting the given topics from their beginning. */
    public static CloudEventCollector collect(String bootstrapServers, String... topics) {
        return new CloudEventCollector(bootstrapServers, List.of(topics));
    }

    private void poll() {
        while (running.get()) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                CloudEvent event;
                try {
                    event = CloudEventHeaders.read(r.headers(), r.value());
                } catch (UnreadableEventException e) {
                    event = null;
                }
                received.add(
                        new Received(r.topic(), r.partition(), r.offset(), r.key(), r.headers(), r.value(), event));
            }
        }
        consumer.close();
    }

    public List<Received> all() {
        return List.copyOf(received);
    }

    public List<Received> ofType(String ceType) {
        return received.stream()
                .filter(r -> r.event() != null && ceType.equals(r.event().type()))
                .toList();
    }

    /** Waits until at least one received record matches, and returns the first such record. */
    public Received awaitFirst(Predicate<Received> match, Duration timeout) {
        return Awaitility.await()
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> received.stream().filter(match).findFirst(), java.util.Optional::isPresent)
                .orElseThrow();
    }

    /** Waits until at least {@code count} records of the type have arrived, and returns them all. */
    public List<Received> awaitType(String ceType, int count, Duration timeout) {
        return Awaitility.await()
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> ofType(ceType), list -> list.size() >= count);
    }

    @Override
    public void close() {
        running.set(false);
        try {
            poller.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
