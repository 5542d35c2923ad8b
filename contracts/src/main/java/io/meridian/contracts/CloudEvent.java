package io.meridian.contracts;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.UUID;

/**
 * A CloudEvents 1.0 event as it travels on Kafka in binary mode: attributes in {@code ce_*} headers,
 * JSON data as the record value. {@code data} is {@code null} for a tombstone.
 */
public record CloudEvent(
        String id,
        String type,
        URI source,
        String subject,
        OffsetDateTime time,
        URI dataschema,
        String datacontenttype,
        byte[] data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String JSON = "application/json";

    public CloudEvent {
        requireText(id, "id");
        requireText(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(time, "time");
    }

    /** A new event with a random id, stamped now by the given time. */
    public static CloudEvent of(EventType type, URI source, String subject, OffsetDateTime time, byte[] data) {
        return new CloudEvent(
                UUID.randomUUID().toString(), type.type(), source, subject, time, type.dataschema(), JSON, data);
    }

    public boolean isTombstone() {
        return data == null;
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("CloudEvent attribute '" + name + "' is required");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CloudEvent other
                && id.equals(other.id)
                && type.equals(other.type)
                && source.equals(other.source)
                && Objects.equals(subject, other.subject)
                && time.isEqual(other.time)
                && Objects.equals(dataschema, other.dataschema)
                && Objects.equals(datacontenttype, other.datacontenttype)
                && java.util.Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, type, source, subject);
    }

    @Override
    public String toString() {
        return "CloudEvent[id=" + id + ", type=" + type + ", source=" + source + ", subject=" + subject + ", time="
                + time + ", bytes=" + (data == null ? "tombstone" : data.length) + "]";
    }
}
