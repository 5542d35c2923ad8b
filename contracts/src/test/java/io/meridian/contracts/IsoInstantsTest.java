package io.meridian.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.meridian.contracts.kafka.UnreadableEventException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsoInstantsTest {

    /** A record with one instant, as event data carries them. */
    record Stamped(Instant at) {}

    // Jackson's own reader of instants, which the fast path must agree with.
    private static final ObjectMapper JACKSON = new ObjectMapper().registerModule(new JavaTimeModule());

    @Test
    void everyInstantAsProducersWriteItIsReadBackExactly() {
        Random random = new Random(20261207);
        List<ChronoUnit> precisions =
                List.of(ChronoUnit.SECONDS, ChronoUnit.MILLIS, ChronoUnit.MICROS, ChronoUnit.NANOS);
        for (int i = 0; i < 20_000; i++) {
            // 1900 to 2200: before and after the epoch, leap years and centuries included.
            long second = -2_208_988_800L + (long) (random.nextDouble() * 9_467_280_000L);
            Instant instant = Instant.ofEpochSecond(second, random.nextInt(1_000_000_000))
                    .truncatedTo(precisions.get(i % precisions.size()));
            assertThat(IsoInstants.parseCanonical(instant.toString()))
                    .as(instant.toString())
                    .isEqualTo(instant);
        }
        assertThat(IsoInstants.parseCanonical("2024-02-29T23:59:59.999999999Z"))
                .isEqualTo(Instant.parse("2024-02-29T23:59:59.999999999Z"));
        assertThat(IsoInstants.parseCanonical("1970-01-01T00:00:00Z")).isEqualTo(Instant.EPOCH);
    }

    @Test
    void anyNumberOfFractionDigitsUpToNineIsReadAsTheStandardParserReadsIt() {
        String fraction = "123456789";
        for (int digits = 1; digits <= 9; digits++) {
            String text = "2026-12-07T21:16:20." + fraction.substring(0, digits) + "Z";
            assertThat(IsoInstants.parseCanonical(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void everyOtherFormIsLeftToTheGeneralReader() {
        for (String text : List.of(
                "2026-12-07T22:16:20+01:00", // an offset
                "2026-12-07t21:16:20z", // lower case
                "2016-12-31T23:59:60Z", // a leap second
                "2026-02-30T00:00:00Z", // no such day
                "2026-13-01T00:00:00Z",
                "2026-12-07T24:00:00Z",
                "2026-12-07T21:16:20.1234567890Z", // ten digits of fraction
                "2026-12-07T21:16:20.Z",
                "2026-12-07T21:16:20,5Z",
                "+10000-01-01T00:00:00Z",
                "2026-12-07T21:16Z",
                "2026-12-07 21:16:20Z",
                "2O26-12-07T21:16:20Z",
                "2026-12-07T21:16:2-Z",
                "")) {
            assertThat(IsoInstants.parseCanonical(text)).as(text).isNull();
        }
    }

    @Test
    void eventDataReadsInstantsInEveryFormJacksonReadsAndRefusesWhatItRefuses() throws Exception {
        for (String text : List.of(
                "\"2026-12-07T21:16:20.513Z\"",
                "\"2026-12-07T22:16:20+01:00\"",
                "\"2016-12-31T23:59:60Z\"",
                "\"+10000-01-01T00:00:00Z\"",
                "1700000000",
                "1700000000.5")) {
            byte[] json = ("{\"at\":" + text + "}").getBytes(StandardCharsets.UTF_8);
            assertThat(EventJson.read(json, Stamped.class)).as(text).isEqualTo(JACKSON.readValue(json, Stamped.class));
        }
        assertThatThrownBy(() -> EventJson.read(
                        "{\"at\":\"2026-02-30T00:00:00Z\"}".getBytes(StandardCharsets.UTF_8), Stamped.class))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("Stamped");
        assertThat(EventJson.read("{\"at\":null}".getBytes(StandardCharsets.UTF_8), Stamped.class))
                .isEqualTo(new Stamped(null));
    }

    @Test
    void theEventMapperReadsInstantsWithTheFastReader() throws Exception {
        ObjectMapper mapper = EventJson.mapper();
        DefaultDeserializationContext context = ((DefaultDeserializationContext) mapper.getDeserializationContext())
                .createInstance(mapper.getDeserializationConfig(), null, null);
        assertThat(context.findRootValueDeserializer(mapper.constructType(Instant.class)))
                .isInstanceOf(IsoInstants.Deserializer.class);
    }
}
