package io.meridian.eventing.inbound;

import io.meridian.contracts.Topic;
import io.meridian.eventing.EventingConfig;
import io.meridian.eventing.kafka.KafkaConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Sends a record that a batch consumer could not process to {@code <topic>.dlq}, with the headers that the
 * connector's {@code failure-strategy=dead-letter-queue} writes ({@code dead-letter-reason} and the rest), so a
 * dead letter reads the same whichever way it got there. A batch consumer needs this because the connector can
 * only dead-letter a whole batch: one bad record would take the good ones of its batch with it.
 */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final KafkaConnection kafka;
    private final String service;
    private final Counter sent;
    private final Counter lost;
    private KafkaProducer<String, byte[]> producer;

    DeadLetters(EventingConfig config, MeterRegistry registry, KafkaConnection kafka) {
        this.kafka = kafka;
        this.service = config.service();
        this.sent = Counter.builder("meridian.dead_letters.sent")
                .description("Records a batch consumer could not process, sent to their dead-letter topic")
                .register(registry);
        this.lost = Counter.builder("meridian.dead_letters.failed")
                .description("Dead letters the broker did not take (the reason is logged)")
                .register(registry);
    }

    /**
     * Sends the record to its dead-letter topic and returns without waiting for the broker, whose answer is logged
     * and counted. Call it from a worker thread: the first call creates the producer, and a send may wait for
     * the topic's metadata.
     */
    public void send(ConsumerRecord<String, byte[]> record, Throwable failure) {
        ProducerRecord<String, byte[]> letter = letterOf(record, failure);
        LOG.warnf(
                "record %s-%d@%d (key %s) goes to %s: %s",
                record.topic(), record.partition(), record.offset(), record.key(), letter.topic(), reasonOf(failure));
        try {
            producer().send(letter, (metadata, error) -> {
                if (error == null) {
                    sent.increment();
                } else {
                    failed(record, letter, error);
                }
            });
        } catch (RuntimeException e) {
            // The consumer goes on either way: the record is still in its own topic.
            failed(record, letter, e);
        }
    }

    private void failed(ConsumerRecord<String, byte[]> record, ProducerRecord<String, byte[]> letter, Exception e) {
        lost.increment();
        LOG.errorf(
                "could not dead-letter %s-%d@%d to %s (it stays in %s): %s",
                record.topic(), record.partition(), record.offset(), letter.topic(), record.topic(), e.getMessage());
    }

    /**
     * The dead letter of a record: its key, value and headers, plus why and where it came from. It goes to the
     * partition of the same number: the catalog gives a dead-letter topic the partitions and partitioning of its
     * topic, and a record without a key (one reason to dead-letter it) has no partition of its own to compute.
     */
    static ProducerRecord<String, byte[]> letterOf(ConsumerRecord<String, byte[]> record, Throwable failure) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        put(headers, "dead-letter-exception-class-name", failure.getClass().getName());
        put(headers, "dead-letter-reason", reasonOf(failure));
        Throwable cause = failure.getCause();
        if (cause != null && cause != failure) {
            put(headers, "dead-letter-cause-class-name", cause.getClass().getName());
            put(headers, "dead-letter-cause", reasonOf(cause));
        }
        put(headers, "dead-letter-topic", record.topic());
        put(headers, "dead-letter-partition", Integer.toString(record.partition()));
        put(headers, "dead-letter-offset", Long.toString(record.offset()));
        return new ProducerRecord<>(
                record.topic() + Topic.DEAD_LETTER_SUFFIX, record.partition(), record.key(), record.value(), headers);
    }

    private static String reasonOf(Throwable failure) {
        return failure.getMessage() == null ? failure.toString() : failure.getMessage();
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Properties props = kafka.clientProperties(
                    service + "-dead-letters",
                    Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"));
            producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    synchronized void close(@Observes ShutdownEvent event) {
        if (producer != null) {
            producer.close();
            producer = null;
        }
    }
}
