package io.meridian.contracts.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.kafka.UnreadableEventException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricsBatchJsonTest {

    // Jackson's record binding with the settings and modules of EventJson but MetricsBatchJson: what the streaming
    // codec must agree with.
    private static final ObjectMapper BINDING = EventJson.recordBinding();

    @Test
    void theBindingComparedWithIsNotTheCodecItself() {
        assertThat(EventJson.mapper().getRegisteredModuleIds()).contains("meridian-metrics-batch");
        assertThat(BINDING.getRegisteredModuleIds())
                .contains("meridian-instants")
                .doesNotContain("meridian-metrics-batch");
    }

    @Test
    void batchesAreWrittenByteForByteAsTheRecordBindingWritesThemAndReadBackEqual() throws Exception {
        Random random = new Random(20261208);
        String[] odd = {"a\"quote", "back\\slash", "tab\there", "line\nfeed", "ünïcödé", "\u0001control", "", "x"};
        for (int i = 0; i < 2_000; i++) {
            List<Sample> samples = new ArrayList<>();
            Instant shared = Instant.ofEpochSecond(
                    1_700_000_000L + random.nextInt(100_000_000), random.nextInt(1000) * 1_000_000L);
            for (int s = random.nextInt(12); s > 0; s--) {
                Map<String, String> labels = new LinkedHashMap<>();
                for (int l = random.nextInt(5); l > 0; l--) {
                    labels.put(
                            "l" + random.nextInt(6) + odd[random.nextInt(odd.length)], odd[random.nextInt(odd.length)]);
                }
                double value = switch (random.nextInt(6)) {
                    case 0 -> random.nextInt(1000);
                    case 1 -> random.nextDouble() * 1e-7;
                    case 2 -> random.nextGaussian() * 1e18;
                    case 3 -> Double.NaN;
                    case 4 -> Double.NEGATIVE_INFINITY;
                    default -> random.nextDouble();
                };
                // Most samples of a scrape share its time (the writer formats a shared time once), some have none.
                Instant at = random.nextInt(5) == 0
                        ? null
                        : random.nextBoolean()
                                ? shared
                                : Instant.ofEpochSecond(
                                        1_700_000_000L + random.nextInt(100_000_000), random.nextInt(1_000_000_000));
                samples.add(
                        new Sample(random.nextInt(9) == 0 ? null : "metric_" + random.nextInt(4), labels, value, at));
            }
            MetricsBatch batch = new MetricsBatch(
                    random.nextInt(9) == 0 ? null : "cluster-" + i,
                    random.nextInt(9) == 0 ? null : Instant.ofEpochMilli(1_700_000_000_000L + random.nextInt()),
                    samples);

            byte[] streamed = EventJson.write(batch);
            assertThat(new String(streamed, StandardCharsets.UTF_8))
                    .isEqualTo(new String(BINDING.writeValueAsBytes(batch), StandardCharsets.UTF_8));
            // NaN and the infinities are written as strings, as the binding writes them, and read back.
            assertThat(EventJson.read(streamed, MetricsBatch.class)).isEqualTo(batch);
        }
    }

    @Test
    void aFieldGivenTwiceIsRefusedWhereverItStands() {
        // The binding refused a repeat only once it had every field of the record, and kept the later value before:
        // what a batch says must not depend on which reader read it.
        for (String input : List.of(
                "{\"clusterId\":\"a\",\"clusterId\":\"b\",\"scrapedAt\":null,\"samples\":[]}",
                "{\"scrapedAt\":\"2026-12-07T21:00:00Z\",\"scrapedAt\":\"2026-12-07T22:00:00Z\"}",
                "{\"samples\":[],\"samples\":[]}",
                "{\"samples\":[{\"metric\":\"m\",\"metric\":\"n\",\"value\":1}]}",
                "{\"samples\":[{\"value\":1,\"labels\":{},\"labels\":{\"a\":\"b\"}}]}",
                "{\"samples\":[{\"value\":1,\"value\":2}]}",
                "{\"samples\":[{\"value\":1,\"timestamp\":null,\"timestamp\":\"2026-12-07T21:00:00Z\"}]}")) {
            assertThatThrownBy(() -> EventJson.read(input.getBytes(StandardCharsets.UTF_8), MetricsBatch.class))
                    .as(input)
                    .isInstanceOf(UnreadableEventException.class)
                    .hasMessageContaining("appears twice");
        }
    }

    @Test
    void theGoldenSampleReadsAsTheRecordBindingReadsIt() throws Exception {
        byte[] golden = Files.readAllBytes(
                Path.of("src/test/resources/samples/io.meridian.observability.metrics.sampled.v1/prod-aws-1.json"));
        MetricsBatch read = EventJson.read(golden, MetricsBatch.class);
        assertThat(read).isEqualTo(BINDING.readValue(golden, MetricsBatch.class));
        assertThat(read.samples()).hasSize(4);
        assertThat(read.samples().getFirst().labels()).containsEntry("instance_type", "m6i.2xlarge");
    }

    @Test
    void everyOtherShapeIsReadOrRefusedExactlyAsTheRecordBindingDoes() {
        String sample =
                "{\"metric\":\"m\",\"labels\":{\"a\":\"b\"},\"value\":1.5,\"timestamp\":\"2026-12-07T21:00:00Z\"}";
        List<String> inputs = List.of(
                // reordered fields and unknown ones, nested, at both levels
                "{\"samples\":[{\"timestamp\":\"2026-12-07T21:00:00.5Z\",\"value\":2,\"extra\":{\"x\":[1,{\"y\":2}]},"
                        + "\"labels\":{},\"metric\":\"m\"}],\"future\":[true,null],\"scrapedAt\":\"2026-12-07T21:00:00Z\","
                        + "\"clusterId\":\"c\"}",
                // absent fields and nulls
                "{}",
                "{\"clusterId\":null,\"scrapedAt\":null,\"samples\":null}",
                "{\"clusterId\":\"c\",\"samples\":[{\"metric\":\"m\"}]}",
                "{\"samples\":[{\"metric\":null,\"labels\":null,\"value\":3,\"timestamp\":null}]}",
                // coercions the binding makes
                "{\"clusterId\":42,\"samples\":[{\"metric\":7,\"labels\":{\"n\":1,\"t\":true},\"value\":\"1.25\"}]}",
                "{\"samples\":[{\"value\":1,\"timestamp\":1765141200}]}",
                "{\"samples\":[{\"value\":1,\"timestamp\":\"2026-12-07T22:16:20+01:00\"}]}",
                "{\"samples\":[{\"value\":-0.0,\"labels\":{\"a\":\"1\",\"a\":\"2\"}}]}",
                "{\"samples\":[{\"value\":1e308},{\"value\":12345678901234567890}]}",
                // what the binding refuses
                "[" + sample + "]",
                "{\"samples\":" + sample + "}",
                "{\"samples\":[null]}",
                "{\"samples\":[" + sample + ",7]}",
                "{\"samples\":[{\"value\":null}]}",
                "{\"samples\":[{\"value\":\"lots\"}]}",
                "{\"samples\":[{\"value\":1,\"labels\":{\"a\":null}}]}",
                "{\"samples\":[{\"value\":1,\"labels\":[\"a\"]}]}",
                "{\"samples\":[{\"value\":1,\"metric\":{\"a\":1}}]}",
                "{\"samples\":[{\"value\":1,\"timestamp\":\"yesterday\"}]}",
                "{\"scrapedAt\":\"2026-02-30T00:00:00Z\"}",
                "{\"clusterId\":\"c\",\"samples\":[" + sample,
                "null",
                "\"batch\"",
                // a field given twice, at either level, before or after the others
                "{\"clusterId\":\"a\",\"scrapedAt\":null,\"samples\":[],\"clusterId\":\"b\"}",
                "{\"samples\":[{\"metric\":\"m\",\"labels\":{},\"value\":1,\"timestamp\":null,\"value\":2}]}");
        for (String input : inputs) {
            byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
            MetricsBatch expected;
            try {
                expected = BINDING.readValue(bytes, MetricsBatch.class);
            } catch (Exception refused) {
                assertThatThrownBy(() -> EventJson.read(bytes, MetricsBatch.class), "refused by the binding: %s", input)
                        .isInstanceOf(UnreadableEventException.class);
                continue;
            }
            assertThat(EventJson.read(bytes, MetricsBatch.class)).as(input).isEqualTo(expected);
        }
    }
}
