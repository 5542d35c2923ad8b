package io.meridian.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.meridian.contracts.kafka.UnreadableEventException;
import io.meridian.contracts.metrics.MetricsBatchJson;
import java.io.IOException;

/**
 * The one JSON mapping of event data. Unknown fields are ignored so that a reader of version N keeps
 * reading data written by a newer producer that added optional fields (the compatibility rule).
 */
public final class EventJson {

    private static final ObjectMapper MAPPER = configured(true);

    private static ObjectMapper configured(boolean streamingCodecs) {
        ObjectMapper mapper = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                // After JavaTimeModule, so that it replaces that module's reader of instants.
                .registerModule(IsoInstants.module())
                .registerModule(new Jdk8Module());
        if (streamingCodecs) {
            mapper.registerModule(MetricsBatchJson.module());
        }
        return mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    private EventJson() {}

    /**
     * The same mapping without the hand-written streaming codecs of hot types ({@link MetricsBatchJson}): Jackson's
     * record binding, which those codecs must agree with. For tests and benchmarks that compare them; events are
     * written and read with {@link #write} and {@link #read}.
     */
    public static ObjectMapper recordBinding() {
        return configured(false);
    }

    /** A copy of the shared mapper, for callers that want to add their own modules. */
    public static ObjectMapper mapper() {
        return MAPPER.copy();
    }

    public static byte[] write(Object data) {
        try {
            return MAPPER.writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot write event data of " + data.getClass().getName(), e);
        }
    }

    /**
     * Reads event data into its record.
     *
     * @throws UnreadableEventException when the bytes are not valid data of that type
     */
    public static <T> T read(byte[] data, Class<T> type) {
        return read(MAPPER, data, type);
    }

    /**
     * Reads event data into its record with a mapper derived from {@link #mapper()} (say one that skips a large
     * field a reader never uses), failing as {@link #read(byte[], Class)} does.
     *
     * @throws UnreadableEventException when the bytes are not valid data of that type
     */
    public static <T> T read(ObjectMapper mapper, byte[] data, Class<T> type) {
        if (data == null) {
            throw new UnreadableEventException("record has no value, expected " + type.getSimpleName() + " data");
        }
        try {
            return mapper.readValue(data, type);
        } catch (JsonProcessingException e) {
            throw new UnreadableEventException(
                    "data is not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UnreadableEventException("data of " + type.getSimpleName() + " cannot be read: " + e, e);
        }
    }
}
