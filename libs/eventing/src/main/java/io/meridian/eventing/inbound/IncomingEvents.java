package io.meridian.eventing.inbound;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.kafka.CloudEventHeaders;
import io.meridian.contracts.kafka.UnreadableEventException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads Meridian events from Kafka records. Every failure is an {@link UnreadableEventException} whose
 * message says what is wrong; a channel configured with {@code failure-strategy=dead-letter-queue}
 * then routes the record to {@code <topic>.dlq} with that message in its {@code dead-letter-reason}
 * header, and the consumer goes on with the next record. A batch channel dead-letters record by record itself,
 * with {@link DeadLetters}.
 */
public final class IncomingEvents {

    private IncomingEvents() {}

    /** The key of a record, which every Meridian topic requires. */
    public static String requireKey(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            throw new UnreadableEventException("record has no key; every Meridian topic is keyed");
        }
        return record.key();
    }

    /** The CloudEvent of a record; tombstones come back with {@code data == null}. */
    public static CloudEvent read(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            throw new UnreadableEventException("record has no key; every Meridian topic is keyed");
        }
        return CloudEventHeaders.read(record.headers(), record.value());
    }

    /**
     * The data of an event of a type this consumer understands.
     *
     * @throws UnreadableEventException for an unknown type, a tombstone, or data that is not the type's record
     */
    public static <T> T data(CloudEvent event, Class<T> dataClass) {
        EventType type = EventType.of(event.type())
                .orElseThrow(() -> new UnreadableEventException("unknown event type '" + event.type() + "'"));
        if (!dataClass.isAssignableFrom(type.dataClass())) {
            throw new UnreadableEventException("event type '" + event.type() + "' carries "
                    + type.dataClass().getSimpleName() + ", not " + dataClass.getSimpleName());
        }
        if (event.isTombstone()) {
            throw new UnreadableEventException("event " + event.id() + " is a tombstone and has no data");
        }
        return EventJson.read(event.data(), dataClass);
    }
}
