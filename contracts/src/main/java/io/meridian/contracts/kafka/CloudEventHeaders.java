package io.meridian.contracts.kafka;

import io.meridian.contracts.CloudEvent;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The CloudEvents Kafka protocol binding, binary content mode: every attribute is a {@code ce_}
 * header, the content type is the {@code content-type} header, the data is the record value.
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String SUBJECT = "ce_subject";
    public static final String TIME = "ce_time";
    public static final String DATA_SCHEMA = "ce_dataschema";
    public static final String CONTENT_TYPE = "content-type";

    private CloudEventHeaders() {}

    /** Writes the event's attributes into {@code headers}, replacing any previous {@code ce_*} values. */
    public static void write(CloudEvent event, Headers headers) {
        put(headers, SPEC_VERSION, CloudEvent.SPEC_VERSION);
        put(headers, ID, event.id());
        put(headers, TYPE, event.type());
        put(headers, SOURCE, event.source().toString());
        // OffsetDateTime.toString() drops zero seconds ("10:15Z"), which is not RFC 3339.
        put(headers, TIME, DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(event.time()));
        if (event.subject() != null) {
            put(headers, SUBJECT, event.subject());
        }
        if (event.dataschema() != null) {
            put(headers, DATA_SCHEMA, event.dataschema().toString());
        }
        if (event.datacontenttype() != null) {
            put(headers, CONTENT_TYPE, event.datacontenttype());
        }
    }

    /**
     * Reads a binary-mode event from a record's headers and value.
     *
     * @throws UnreadableEventException naming the missing or malformed attribute
     */
    public static CloudEvent read(Headers headers, byte[] value) {
        String specVersion = required(headers, SPEC_VERSION);
        if (!CloudEvent.SPEC_VERSION.equals(specVersion)) {
            throw new UnreadableEventException(
                    "header " + SPEC_VERSION + " is '" + specVersion + "', expected '" + CloudEvent.SPEC_VERSION + "'");
        }
        String id = required(headers, ID);
        String type = required(headers, TYPE);
        URI source = uri(required(headers, SOURCE), SOURCE);
        OffsetDateTime time;
        String rawTime = required(headers, TIME);
        try {
            time = OffsetDateTime.parse(rawTime);
        } catch (DateTimeParseException e) {
            throw new UnreadableEventException("header " + TIME + " is not an RFC 3339 timestamp: '" + rawTime + "'");
        }
        String schema = text(headers, DATA_SCHEMA);
        return new CloudEvent(
                id,
                type,
                source,
                text(headers, SUBJECT),
                time,
                schema == null ? null : uri(schema, DATA_SCHEMA),
                text(headers, CONTENT_TYPE),
                value);
    }

    /** The last value of a header as UTF-8 text, or {@code null}. */
    public static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String required(Headers headers, String name) {
        String value = text(headers, name);
        if (value == null || value.isBlank()) {
            throw new UnreadableEventException("header " + name + " is missing");
        }
        return value;
    }

    private static URI uri(String value, String name) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new UnreadableEventException("header " + name + " is not a URI reference: '" + value + "'");
        }
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
