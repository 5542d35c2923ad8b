package io.meridian.contracts.metrics;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.meridian.contracts.IsoInstants;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes and reads {@link MetricsBatch} with Jackson's streaming API instead of its record binding. Every cluster's
 * scrape is one batch of hundreds of samples every 15 s, and binding them took half the CPU of cost and an eighth of
 * observability's with the fleet at rest. The JSON is the one the record binding writes (same fields, order and
 * omissions), and reading accepts what the binding accepts: the usual shape is read directly, and any other token (a
 * number written as a string, a null, a single sample instead of an array) is handed to Jackson's own readers, so
 * its coercions and its errors are the same. One difference: a field of a batch or a sample given twice is always
 * refused, where the binding refused it only once it had every field (and kept the later value before).
 */
public final class MetricsBatchJson {

    private static final JavaType SAMPLES =
            TypeFactory.defaultInstance().constructCollectionType(List.class, Sample.class);
    private static final JavaType LABELS =
            TypeFactory.defaultInstance().constructMapType(LinkedHashMap.class, String.class, String.class);

    private MetricsBatchJson() {}

    /** The serializer and deserializer of {@link MetricsBatch}, for the one mapper of event data. */
    public static SimpleModule module() {
        return new SimpleModule("meridian-metrics-batch")
                .addSerializer(MetricsBatch.class, new Writer())
                .addDeserializer(MetricsBatch.class, new Reader());
    }

    static final class Writer extends StdSerializer<MetricsBatch> {

        Writer() {
            super(MetricsBatch.class);
        }

        @Override
        public void serialize(MetricsBatch batch, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeStartObject();
            if (batch.clusterId() != null) {
                out.writeStringField("clusterId", batch.clusterId());
            }
            if (batch.scrapedAt() != null) {
                // Instant.toString() is DateTimeFormatter.ISO_INSTANT, what the record binding writes.
                out.writeStringField("scrapedAt", batch.scrapedAt().toString());
            }
            out.writeArrayFieldStart("samples");
            // The samples of a scrape mostly share one time: it is formatted once.
            Instant lastTime = null;
            String lastText = null;
            for (Sample sample : batch.samples()) {
                out.writeStartObject();
                if (sample.metric() != null) {
                    out.writeStringField("metric", sample.metric());
                }
                out.writeObjectFieldStart("labels");
                for (Map.Entry<String, String> label : sample.labels().entrySet()) {
                    out.writeStringField(label.getKey(), label.getValue());
                }
                out.writeEndObject();
                out.writeNumberField("value", sample.value());
                if (sample.timestamp() != null) {
                    if (!sample.timestamp().equals(lastTime)) {
                        lastTime = sample.timestamp();
                        lastText = lastTime.toString();
                    }
                    out.writeStringField("timestamp", lastText);
                }
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        }
    }

    static final class Reader extends StdDeserializer<MetricsBatch> {

        Reader() {
            super(MetricsBatch.class);
        }

        @Override
        public MetricsBatch deserialize(JsonParser in, DeserializationContext context) throws IOException {
            if (!in.isExpectedStartObjectToken()) {
                return (MetricsBatch) context.handleUnexpectedToken(MetricsBatch.class, in);
            }
            String clusterId = null;
            Instant scrapedAt = null;
            List<Sample> samples = null;
            int seen = 0;
            for (String field = in.nextFieldName(); field != null; field = in.nextFieldName()) {
                JsonToken token = in.nextToken();
                switch (field) {
                    case "clusterId" -> {
                        seen = once(seen, 1, field, MetricsBatch.class, context);
                        clusterId = string(in, token, context);
                    }
                    case "scrapedAt" -> {
                        seen = once(seen, 2, field, MetricsBatch.class, context);
                        scrapedAt = instant(in, token, context);
                    }
                    case "samples" -> {
                        seen = once(seen, 4, field, MetricsBatch.class, context);
                        samples = samples(in, token, context);
                    }
                    default -> in.skipChildren();
                }
            }
            List<Sample> read = samples;
            String cluster = clusterId;
            Instant at = scrapedAt;
            return construct(in, () -> new MetricsBatch(cluster, at, read));
        }

        private static List<Sample> samples(JsonParser in, JsonToken token, DeserializationContext context)
                throws IOException {
            if (token == JsonToken.VALUE_NULL) {
                return null;
            }
            if (token != JsonToken.START_ARRAY) {
                return context.readValue(in, SAMPLES);
            }
            List<Sample> samples = new ArrayList<>();
            for (JsonToken element = in.nextToken(); element != JsonToken.END_ARRAY; element = in.nextToken()) {
                samples.add(
                        element == JsonToken.START_OBJECT
                                ? sample(in, context)
                                : element == JsonToken.VALUE_NULL ? null : context.readValue(in, Sample.class));
            }
            return samples;
        }

        private static Sample sample(JsonParser in, DeserializationContext context) throws IOException {
            String metric = null;
            Map<String, String> labels = null;
            double value = 0;
            boolean valueRead = false;
            Instant timestamp = null;
            int seen = 0;
            for (String field = in.nextFieldName(); field != null; field = in.nextFieldName()) {
                JsonToken token = in.nextToken();
                switch (field) {
                    case "metric" -> {
                        seen = once(seen, 1, field, Sample.class, context);
                        metric = string(in, token, context);
                    }
                    case "labels" -> {
                        seen = once(seen, 2, field, Sample.class, context);
                        labels = labels(in, token, context);
                    }
                    case "value" -> {
                        seen = once(seen, 4, field, Sample.class, context);
                        value = token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT
                                ? in.getDoubleValue()
                                : context.readValue(in, Double.TYPE);
                        valueRead = true;
                    }
                    case "timestamp" -> {
                        seen = once(seen, 8, field, Sample.class, context);
                        timestamp = instant(in, token, context);
                    }
                    default -> in.skipChildren();
                }
            }
            if (!valueRead) {
                // What the record binding does with a missing primitive: its default, or the configured failure.
                value = absentValue(in, context);
            }
            String m = metric;
            Map<String, String> l = labels;
            double v = value;
            Instant t = timestamp;
            return construct(in, () -> new Sample(m, l, v, t));
        }

        /**
         * Refuses a field given twice, wherever it stands: the record binding refused it once it had every field of the
         * record and kept the later value before, and two readers that kept different copies would see different
         * batches.
         */
        private static int once(int seen, int bit, String field, Class<?> type, DeserializationContext context)
                throws IOException {
            if ((seen & bit) != 0) {
                context.reportInputMismatch(type, "field '%s' appears twice", field);
            }
            return seen | bit;
        }

        private static double absentValue(JsonParser in, DeserializationContext context) throws IOException {
            if (context.isEnabled(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    || context.isEnabled(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
                    || context.isEnabled(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)) {
                context.reportInputMismatch(Sample.class, "Missing creator property 'value'");
            }
            return 0;
        }

        /** The labels as an immutable map, built once (the record keeps an immutable map as it is). */
        private static Map<String, String> labels(JsonParser in, JsonToken token, DeserializationContext context)
                throws IOException {
            if (token != JsonToken.START_OBJECT) {
                return token == JsonToken.VALUE_NULL ? null : context.readValue(in, LABELS);
            }
            List<Map.Entry<String, String>> entries = new ArrayList<>(8);
            boolean plain = true;
            for (String name = in.nextFieldName(); name != null; name = in.nextFieldName()) {
                JsonToken value = in.nextToken();
                String text = value == JsonToken.VALUE_STRING ? in.getText() : string(in, value, context);
                if (text == null) {
                    plain = false; // a null label: Map.copyOf refuses it, as with the record binding
                    entries.add(new java.util.AbstractMap.SimpleEntry<>(name, null));
                } else {
                    entries.add(Map.entry(name, text));
                }
            }
            if (plain) {
                try {
                    @SuppressWarnings("unchecked")
                    Map.Entry<String, String>[] array = entries.toArray(new Map.Entry[0]);
                    return Map.ofEntries(array);
                } catch (IllegalArgumentException repeatedName) {
                    // a name given twice: the last value wins, as Jackson's map reader has it
                }
            }
            Map<String, String> labels = new LinkedHashMap<>();
            entries.forEach(e -> labels.put(e.getKey(), e.getValue()));
            return labels;
        }

        private static String string(JsonParser in, JsonToken token, DeserializationContext context)
                throws IOException {
            return switch (token) {
                case VALUE_STRING -> in.getText();
                case VALUE_NULL -> null;
                default -> context.readValue(in, String.class);
            };
        }

        // The canonical form directly: context.readValue looks the reader up anew at each call, which cost more than
        // the rest of a sample.
        private static Instant instant(JsonParser in, JsonToken token, DeserializationContext context)
                throws IOException {
            if (token == JsonToken.VALUE_STRING) {
                Instant canonical = IsoInstants.parseCanonical(in.getText());
                if (canonical != null) {
                    return canonical;
                }
            }
            return token == JsonToken.VALUE_NULL ? null : context.readValue(in, Instant.class);
        }

        private interface Construction<T> {
            T get();
        }

        /** A record's own checks (no null sample, no null label) fail as a mapping error, as with the binding. */
        private static <T> T construct(JsonParser in, Construction<T> construction) throws JsonMappingException {
            try {
                return construction.get();
            } catch (RuntimeException e) {
                throw JsonMappingException.from(in, "cannot construct metrics data: " + e, e);
            }
        }
    }
}
