package io.meridian.contracts.kafka;

import java.util.Locale;
import java.util.Objects;

/**
 * An event that would make a Kafka record larger than the producer may send, refused when it is written so that it
 * never reaches the outbox; the REST edge answers it as 413 Content Too Large. It lives here, with the codec that
 * decides a record's size, so the eventing library throws it and the service kit maps it without knowing each other.
 */
public final class EventTooLargeException extends RuntimeException {

    private final String topic;
    private final String eventType;
    private final String subject;
    private final long recordBytes;
    private final long limitBytes;

    /**
     * @param topic the topic the event was for
     * @param eventType the CloudEvent type, e.g. {@code io.meridian.audit.record.appended.v1}
     * @param subject what the event is about (may be {@code null}), so the caller can tell which part was too large
     * @param recordBytes the record's size as the producer counts it: key, value, headers and the record overhead
     * @param limitBytes the largest record the service's producer sends ({@code
     *     meridian.eventing.outbox.max-record-bytes})
     */
    public EventTooLargeException(String topic, String eventType, String subject, long recordBytes, long limitBytes) {
        super(describe(topic, eventType, subject, recordBytes, limitBytes));
        this.topic = Objects.requireNonNull(topic, "topic");
        this.eventType = Objects.requireNonNull(eventType, "eventType");
        this.subject = subject;
        this.recordBytes = recordBytes;
        this.limitBytes = limitBytes;
    }

    public String topic() {
        return topic;
    }

    public String eventType() {
        return eventType;
    }

    public String subject() {
        return subject;
    }

    public long recordBytes() {
        return recordBytes;
    }

    public long limitBytes() {
        return limitBytes;
    }

    /** How many bytes the record has beyond the limit. */
    public long excessBytes() {
        return recordBytes - limitBytes;
    }

    private static String describe(String topic, String eventType, String subject, long recordBytes, long limit) {
        return String.format(
                Locale.ROOT,
                "the %s event%s for %s would be a record of %,d bytes, %,d bytes over the limit of %,d bytes",
                eventType,
                subject == null ? "" : " about '" + abbreviated(subject) + "'",
                topic,
                recordBytes,
                recordBytes - limit,
                limit);
    }

    // A subject can be what made the record too large; the message must stay readable.
    private static String abbreviated(String subject) {
        return subject.length() <= 120 ? subject : subject.substring(0, 120) + "...";
    }
}
