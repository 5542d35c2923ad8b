package io.meridian.eventing.outbox;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.kafka.CloudEventHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;

/**
 * The Kafka record of an outbox row, built in one place so that the size {@link Outbox} checks when an event is
 * written is the size the {@link OutboxRelay}'s producer measures when it sends it.
 */
final class OutboxRecords {

    private OutboxRecords() {}

    /** The record of {@code event}: binary-mode CloudEvent headers, a JSON value, or a null value for a tombstone. */
    static ProducerRecord<String, byte[]> of(String topic, String key, CloudEvent event) {
        CloudEvent published = new CloudEvent(
                event.id(),
                event.type(),
                event.source(),
                event.subject(),
                event.time(),
                event.dataschema(),
                event.data() == null ? null : CloudEvent.JSON,
                event.data());
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, event.data());
        CloudEventHeaders.write(published, record.headers());
        return record;
    }

    /**
     * The size the producer compares with its {@code max.request.size} before it sends the record: key, value,
     * headers and the overhead of a batch holding only this record. Compression does not lower it (the producer
     * checks the uncompressed upper bound).
     */
    static int sizeOf(ProducerRecord<String, byte[]> record) {
        return AbstractRecords.estimateSizeInBytesUpperBound(
                RecordBatch.CURRENT_MAGIC_VALUE,
                CompressionType.NONE,
                record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8),
                record.value(),
                record.headers().toArray());
    }
}
