package io.meridian.observability.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Inputs an endpoint could send to hold a scraper thread or exhaust the heap, each with a time bound that the old
 * regex-based parser missed by orders of magnitude (a 50 KB digit run took minutes). The bounds are generous for a
 * busy two-core machine; a linear parse takes milliseconds.
 */
class ExpositionAdversarialTest {

    private static final Duration BOUND = Duration.ofSeconds(2);

    @Test
    void aLongDigitRunFollowedByABadCharacterIsRejectedInLinearTime() {
        byte[] body = ("ok 1\nm " + "1".repeat(50_000) + "x\nok2 2\n").getBytes(StandardCharsets.US_ASCII);
        // Caps raised far above the run, so that the scanner itself (not a cap) has to reject it.
        ExpositionLimits wide = new ExpositionLimits(1 << 20, 1 << 20, 100_000, 64, 64L << 20, 200, 10);

        var exposition = assertTimeoutPreemptively(
                BOUND, () -> ExpositionParser.parse(body, ExpositionFormat.PROMETHEUS_TEXT, wide, () -> false));

        assertThat(exposition.samples())
                .extracting(ExpositionParser.ParsedSample::metric)
                .containsExactly("ok", "ok2");
        assertThat(exposition.problems()).singleElement().asString().contains("is not a number");
    }

    @Test
    void aFiftyMegabyteTokenIsSkippedWithoutBuildingItIntoTheMessage() {
        byte[] token = new byte[50 * 1024 * 1024];
        Arrays.fill(token, (byte) '9');
        ByteArrayOutputStream out = new ByteArrayOutputStream(token.length + 64);
        out.writeBytes("before 1\nm{v=\"".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(token);
        out.writeBytes("\"} 1\nafter 2\n".getBytes(StandardCharsets.US_ASCII));
        byte[] body = out.toByteArray();

        var exposition = assertTimeoutPreemptively(
                BOUND,
                () -> ExpositionParser.parse(
                        body, ExpositionFormat.PROMETHEUS_TEXT, ExpositionLimits.DEFAULTS, () -> false));

        assertThat(exposition.samples())
                .extracting(ExpositionParser.ParsedSample::metric)
                .containsExactly("before", "after");
        assertThat(exposition.skippedLines()).isEqualTo(1);
        assertThat(exposition.problems())
                .singleElement()
                .asString()
                .contains("longer than max-line-bytes")
                .hasSizeLessThanOrEqualTo(ExpositionLimits.DEFAULTS.maxErrorChars());
    }

    @Test
    void aTokenOverItsCapInsideALineUnderTheLineCapIsSkippedWithAShortMessage() {
        String value = "v".repeat(40_000);
        byte[] body = ("a{l=\"" + value + "\"} 1\nb 2\n").getBytes(StandardCharsets.US_ASCII);

        var exposition = assertTimeoutPreemptively(
                BOUND,
                () -> ExpositionParser.parse(
                        body, ExpositionFormat.PROMETHEUS_TEXT, ExpositionLimits.DEFAULTS, () -> false));

        assertThat(exposition.samples())
                .extracting(ExpositionParser.ParsedSample::metric)
                .containsExactly("b");
        assertThat(exposition.problems())
                .singleElement()
                .asString()
                .contains("max-token-bytes")
                .hasSizeLessThanOrEqualTo(ExpositionLimits.DEFAULTS.maxErrorChars());
    }

    @Test
    void aLineOverTheCapIsSkippedAndItsHistogramBucketsGoWithIt() {
        String longBucket = "h_bucket{le=\"1\",pad=\"" + "p".repeat(70_000) + "\"} 1\n";
        byte[] body = ("# TYPE h histogram\nh_bucket{le=\"0.5\"} 1\n" + longBucket + "h_sum 3\nplain 1\n")
                .getBytes(StandardCharsets.US_ASCII);

        var exposition = assertTimeoutPreemptively(
                BOUND,
                () -> ExpositionParser.parse(
                        body, ExpositionFormat.PROMETHEUS_TEXT, ExpositionLimits.DEFAULTS, () -> false));

        assertThat(exposition.samples())
                .extracting(ExpositionParser.ParsedSample::metric)
                .containsExactly("h_sum", "plain");
        assertThat(exposition.skippedLines()).isEqualTo(1);
        assertThat(exposition.droppedSamples()).isEqualTo(1);
    }

    @Test
    void seriesPastTheCapAreCountedNotKept() {
        int lines = 400_000;
        StringBuilder text = new StringBuilder(lines * 20);
        for (int i = 0; i < lines; i++) {
            text.append("s{i=\"").append(i).append("\"} 1\n");
        }
        byte[] body = text.toString().getBytes(StandardCharsets.US_ASCII);

        var exposition = assertTimeoutPreemptively(
                BOUND,
                () -> ExpositionParser.parse(
                        body, ExpositionFormat.PROMETHEUS_TEXT, ExpositionLimits.DEFAULTS, () -> false));

        assertThat(exposition.samples()).hasSize(ExpositionLimits.DEFAULTS.maxSeries());
        assertThat(exposition.skippedLines()).isEqualTo(lines - ExpositionLimits.DEFAULTS.maxSeries());
        assertThat(exposition.problems()).hasSize(ExpositionLimits.DEFAULTS.maxProblems());
    }

    @Test
    void manyTinyLabelsStopAtTheMemoryBudget() {
        // 64 one-letter labels per line: the shape that costs the most heap per input byte.
        StringBuilder line = new StringBuilder("t{");
        for (int l = 0; l < 64; l++) {
            line.append((char) ('a' + l / 26)).append((char) ('a' + l % 26)).append("=\"\",");
        }
        line.append("} 1\n");
        String one = line.toString();
        int lines = 5_000;
        byte[] body = one.repeat(lines).getBytes(StandardCharsets.US_ASCII);
        ExpositionLimits small = new ExpositionLimits(65_536, 16_384, 100_000, 64, 1L << 20, 200, 10);

        var exposition = assertTimeoutPreemptively(
                BOUND, () -> ExpositionParser.parse(body, ExpositionFormat.PROMETHEUS_TEXT, small, () -> false));

        assertThat(exposition.samples().size()).isBetween(100, lines - 1);
        assertThat(exposition.skippedLines())
                .isEqualTo(lines - exposition.samples().size());
        assertThat(exposition.problems().getFirst()).contains("max-retained-bytes");
    }
}
