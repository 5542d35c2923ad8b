package io.meridian.observability.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.observability.domain.ExpositionParser.ParsedSample;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parser against the examples of the Prometheus exposition format specification, and its error cases. */
class ExpositionParserTest {

    /** The "text format example" of https://prometheus.io/docs/instrumenting/exposition_formats/ verbatim. */
    static final String SPEC_EXAMPLE = """
            # HELP http_requests_total The total number of HTTP requests.
            # TYPE http_requests_total counter
            http_requests_total{method="post",code="200"} 1027 1395066363000
            http_requests_total{method="post",code="400"}    3 1395066363000

            # Escaping in label values:
            msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9

            # Minimalistic line:
            metric_without_timestamp_and_labels 12.47

            # A weird metric from before the epoch:
            something_weird{problem="division by zero"} +Inf -3982045

            # A histogram, which has a pretty complex representation in the text format:
            # HELP http_request_duration_seconds A histogram of the request duration.
            # TYPE http_request_duration_seconds histogram
            http_request_duration_seconds_bucket{le="0.05"} 24054
            http_request_duration_seconds_bucket{le="0.1"} 33444
            http_request_duration_seconds_bucket{le="0.2"} 100392
            http_request_duration_seconds_bucket{le="0.5"} 129389
            http_request_duration_seconds_bucket{le="1"} 133988
            http_request_duration_seconds_bucket{le="+Inf"} 144320
            http_request_duration_seconds_sum 53423
            http_request_duration_seconds_count 144320

            # Finally a summary, which has a complex representation, too:
            # HELP rpc_duration_seconds A summary of the RPC duration in seconds.
            # TYPE rpc_duration_seconds summary
            rpc_duration_seconds{quantile="0.01"} 3102
            rpc_duration_seconds{quantile="0.05"} 3272
            rpc_duration_seconds{quantile="0.5"} 4773
            rpc_duration_seconds{quantile="0.9"} 9001
            rpc_duration_seconds{quantile="0.99"} 76656
            rpc_duration_seconds_sum 1.7560473e+07
            rpc_duration_seconds_count 2693
            """;

    @Test
    void parsesTheSpecificationExample() {
        var exposition = ExpositionParser.parse(SPEC_EXAMPLE);

        assertThat(exposition.samples()).hasSize(20);
        assertThat(exposition.types())
                .containsEntry("http_requests_total", "counter")
                .containsEntry("http_request_duration_seconds", "histogram")
                .containsEntry("rpc_duration_seconds", "summary");
        assertThat(exposition.help()).containsEntry("http_requests_total", "The total number of HTTP requests.");
        assertThat(exposition.samples().get(0))
                .isEqualTo(new ParsedSample(
                        "http_requests_total", Map.of("method", "post", "code", "200"), 1027, 1395066363000L));
        assertThat(exposition.samples().get(1).value()).isEqualTo(3);
        assertThat(exposition.samples().get(1).labels()).containsKeys("method", "code");
    }

    @Test
    void unescapesLabelValues() {
        ParsedSample msdos = ExpositionParser.parse(SPEC_EXAMPLE).samples().get(2);

        assertThat(msdos.metric()).isEqualTo("msdos_file_access_time_seconds");
        assertThat(msdos.labels().get("path")).isEqualTo("C:\\DIR\\FILE.TXT");
        assertThat(msdos.labels().get("error")).isEqualTo("Cannot find file:\n\"FILE.TXT\"");
        assertThat(msdos.value()).isEqualTo(1.458255915e9);
        assertThat(msdos.timestampMillis()).isNull();
    }

    @Test
    void readsMinimalLinesInfinitiesAndNegativeTimestamps() {
        var samples = ExpositionParser.parse(SPEC_EXAMPLE).samples();

        assertThat(samples.get(3))
                .isEqualTo(new ParsedSample("metric_without_timestamp_and_labels", Map.of(), 12.47, null));
        assertThat(samples.get(4).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(samples.get(4).timestampMillis()).isEqualTo(-3982045L);
    }

    @Test
    void keepsHistogramAndSummaryLinesAsSamples() {
        var samples = ExpositionParser.parse(SPEC_EXAMPLE).samples();

        assertThat(samples.get(10).metric()).isEqualTo("http_request_duration_seconds_bucket");
        assertThat(samples.get(10).labels()).containsEntry("le", "+Inf");
        assertThat(samples.get(10).value()).isEqualTo(144320);
        assertThat(samples.get(18).metric()).isEqualTo("rpc_duration_seconds_sum");
        assertThat(samples.get(18).value()).isEqualTo(1.7560473e+07);
    }

    @Test
    void acceptsNanTrailingCommaBlanksAndCrLf() {
        var samples = ExpositionParser.parse("a{x=\"1\",} NaN\r\n\t b { y = \"2\" }  -Inf  \n")
                .samples();

        assertThat(samples.get(0).value()).isNaN();
        assertThat(samples.get(0).labels()).containsEntry("x", "1");
        assertThat(samples.get(1).labels()).containsEntry("y", "2");
        assertThat(samples.get(1).value()).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void readsWhatTheFleetSimulatorServes() {
        String text = """
                # HELP kube_node_status_condition The condition of a cluster node.
                # TYPE kube_node_status_condition gauge
                kube_node_status_condition{node="n1",condition="Ready",status="true"} 1
                istio_tcp_sent_bytes_total{source_cluster="a",source_workload="w",source_namespace="n",\
                destination_cluster="b",destination_workload="v",destination_namespace="m"} 123456
                """;

        var samples = ExpositionParser.parse(text).samples();

        assertThat(samples).hasSize(2);
        assertThat(samples.get(1).labels()).hasSize(6).containsEntry("destination_cluster", "b");
    }

    @Test
    void skipsMalformedLinesNamingTheLineAndKeepsTheRest() {
        var exposition = ExpositionParser.parse("ok 1\nbad-name 1\nalso_ok 2\n");

        assertThat(exposition.samples()).extracting(ParsedSample::metric).containsExactly("ok", "also_ok");
        assertThat(exposition.skippedLines()).isEqualTo(1);
        assertThat(exposition.problems()).singleElement().asString().startsWith("line 2: invalid metric name");
        assertThat(problemOf("a{x=1} 1")).contains("must be quoted");
        assertThat(problemOf("a{x=\"1} 1")).contains("unterminated");
        assertThat(problemOf("a 1 2 3")).contains("after the timestamp");
        assertThat(problemOf("a one")).contains("not a number");
        assertThat(problemOf("a 1d")).contains("not a number");
        assertThat(problemOf("a 0x1p-3")).contains("not a number");
        assertThat(problemOf("a 1_000")).contains("not a number");
        assertThat(problemOf("a 1 1.5")).contains("not an integer");
        assertThat(problemOf("a{x=\"1\",x=\"2\"} 1")).contains("duplicate label");
        assertThat(problemOf("# TYPE a bogus\n")).contains("unknown metric type");
        assertThat(problemOf("a\n")).contains("expected value");
    }

    @Test
    void acceptsWhatPrometheusAcceptsMissingCommaEmptyHelpAndEmptyBraces() {
        var exposition = ExpositionParser.parse("""
                # HELP nohelp1
                # HELP nohelp2\s
                # HELP no_text
                go_gc_duration_seconds { quantile = "2.0" a = "b" } 8.3835e-05
                no_labels{} 3
                """);

        assertThat(exposition.skippedLines()).isZero();
        assertThat(exposition.help()).containsEntry("nohelp1", "").containsEntry("nohelp2", "");
        assertThat(exposition.samples())
                .containsExactly(
                        new ParsedSample(
                                "go_gc_duration_seconds", Map.of("quantile", "2.0", "a", "b"), 8.3835e-05, null),
                        new ParsedSample("no_labels", Map.of(), 3, null));
    }

    @Test
    void rejectsReservedNamesBadBucketBoundsQuantilesAndNegativeCountsPerLine() {
        var exposition = ExpositionParser.parse("""
                # TYPE s summary
                s{quantile="x"} 1
                s{quantile="0.5"} 2
                # TYPE h histogram
                h_bucket{le="high"} 1
                h_count -3
                h_sum 5
                m{__name__="other"} 1
                """);

        assertThat(exposition.samples()).extracting(ParsedSample::metric).containsExactly("s", "h_sum");
        assertThat(exposition.problems())
                .hasSize(4)
                .anySatisfy(p -> assertThat(p).startsWith("line 2: expected float as value for 'quantile'"))
                .anySatisfy(p -> assertThat(p).startsWith("line 5: expected float as value for 'le'"))
                .anySatisfy(p -> assertThat(p).startsWith("line 6: negative count"))
                .anySatisfy(p -> assertThat(p).startsWith("line 8: label name \"__name__\" is reserved"));
    }

    @Test
    void aBadBucketTakesOnlyTheBucketsOfItsOwnHistogramSeries() {
        var exposition = ExpositionParser.parse("""
                # TYPE rt histogram
                rt_bucket{path="/a",le="0.1"} 1
                rt_bucket{path="/a",le="1"} -2
                rt_bucket{path="/a",le="+Inf"} 3
                rt_sum{path="/a"} 0.9
                rt_count{path="/a"} 3
                rt_bucket{path="/b",le="0.1"} 4
                rt_bucket{path="/b",le="+Inf"} 5
                other 7
                """);

        assertThat(exposition.samples())
                .extracting(s -> s.metric() + s.labels())
                .containsExactly(
                        "rt_sum{path=/a}",
                        "rt_count{path=/a}",
                        "rt_bucket{path=/b, le=0.1}",
                        "rt_bucket{path=/b, le=+Inf}",
                        "other{}");
        assertThat(exposition.skippedLines()).isEqualTo(1);
        assertThat(exposition.droppedSamples()).isEqualTo(2);
    }

    @Test
    void invalidUtf8SkipsTheLineInsteadOfBecomingReplacementCharacters() {
        byte[] body = "good{v=\"\u00e9\"} 1\nbad{v=\"?\"} 2\n".getBytes(StandardCharsets.UTF_8);
        int question = new String(body, StandardCharsets.ISO_8859_1).lastIndexOf('?');
        body[question] = (byte) 0xff;

        var exposition = parse(body, ExpositionFormat.PROMETHEUS_TEXT);

        assertThat(exposition.samples())
                .singleElement()
                .satisfies(s -> assertThat(s.labels()).containsEntry("v", "\u00e9"));
        assertThat(exposition.problems()).containsExactly("line 2: invalid UTF-8");
    }

    @Test
    void readsOpenMetricsWithSecondsTimestampsExemplarsUnitsAndCreatedSeries() {
        var exposition = parse("""
                # TYPE requests counter
                # UNIT requests_seconds seconds
                # HELP requests Requests \\"served\\".
                requests_total{code="200"} 17.0 1520879607.789 # {trace_id="abc"} 5 1520879607.7
                requests_created{code="200"} 1520872607.123
                # TYPE latency histogram
                latency_bucket{le="1"} 2
                latency_bucket{le="+Inf"} 3
                # TYPE build info
                build_info{version="1.2"} 1
                # EOF
                """.getBytes(StandardCharsets.UTF_8), ExpositionFormat.OPENMETRICS_TEXT);

        assertThat(exposition.complete()).isTrue();
        assertThat(exposition.skippedLines()).isZero();
        assertThat(exposition.units()).containsEntry("requests_seconds", "seconds");
        assertThat(exposition.help()).containsEntry("requests", "Requests \"served\".");
        assertThat(exposition.samples())
                .containsExactly(
                        new ParsedSample("requests_total", Map.of("code", "200"), 17, 1520879607789L),
                        new ParsedSample("latency_bucket", Map.of("le", "1.0"), 2, null),
                        new ParsedSample("latency_bucket", Map.of("le", "+Inf"), 3, null),
                        new ParsedSample("build_info", Map.of("version", "1.2"), 1, null));
    }

    @Test
    void anOpenMetricsDocumentWithoutEofLosesOnlyItsLastFamily() {
        var exposition = parse(
                "# TYPE a gauge\na 1\n# TYPE b counter\nb_total 2\nb_total{x=\"y\"} 3".getBytes(StandardCharsets.UTF_8),
                ExpositionFormat.OPENMETRICS_TEXT);

        assertThat(exposition.complete()).isFalse();
        assertThat(exposition.samples()).extracting(ParsedSample::metric).containsExactly("a");
        assertThat(exposition.droppedSamples()).isEqualTo(2);
        assertThat(exposition.problems())
                .singleElement()
                .asString()
                .contains("no # EOF")
                .contains("b");
    }

    @Test
    void openMetricsIsStrictWherePrometheusTextIsLenient() {
        byte[] missingComma = "a{b=\"c\" d=\"e\"} 1\n# EOF\n".getBytes(StandardCharsets.UTF_8);

        assertThat(parse(missingComma, ExpositionFormat.PROMETHEUS_TEXT).samples())
                .hasSize(1);
        assertThat(parse(missingComma, ExpositionFormat.OPENMETRICS_TEXT).samples())
                .isEmpty();
        assertThat(parse(missingComma, ExpositionFormat.OPENMETRICS_TEXT).skippedLines())
                .isEqualTo(1);
    }

    @Test
    void choosesTheFormatFromTheContentType() {
        assertThat(ExpositionFormat.ofContentType("application/openmetrics-text; version=1.0.0; charset=utf-8"))
                .isEqualTo(ExpositionFormat.OPENMETRICS_TEXT);
        assertThat(ExpositionFormat.ofContentType("Application/OpenMetrics-Text"))
                .isEqualTo(ExpositionFormat.OPENMETRICS_TEXT);
        assertThat(ExpositionFormat.ofContentType("text/plain; version=0.0.4"))
                .isEqualTo(ExpositionFormat.PROMETHEUS_TEXT);
        assertThat(ExpositionFormat.ofContentType(null)).isEqualTo(ExpositionFormat.PROMETHEUS_TEXT);
    }

    @Test
    void capsLabelsSeriesAndTheTextOfProblems() {
        ExpositionLimits limits = new ExpositionLimits(1024, 64, 2, 3, 1L << 20, 60, 2);
        String text = "a{l1=\"1\",l2=\"2\",l3=\"3\",l4=\"4\"} 1\n"
                + "b{v=\"" + "x".repeat(100) + "\"} 1\n"
                + "c 1\nd 2\ne 3\n";

        var exposition = ExpositionParser.parse(
                text.getBytes(StandardCharsets.UTF_8), ExpositionFormat.PROMETHEUS_TEXT, limits, () -> false);

        assertThat(exposition.samples()).extracting(ParsedSample::metric).containsExactly("c", "d");
        assertThat(exposition.skippedLines()).isEqualTo(3);
        assertThat(exposition.problems())
                .hasSize(2)
                .allSatisfy(p -> assertThat(p).hasSizeLessThanOrEqualTo(60));
        assertThat(exposition.problems().get(0)).contains("max-labels");
        assertThat(exposition.problems().get(1)).contains("max-token-bytes");
    }

    @Test
    void stopsWhenTheDeadlinePasses() {
        String text = "m 1\n".repeat(10_000);
        int[] asked = {0};

        assertThatThrownBy(() -> ExpositionParser.parse(
                        text.getBytes(StandardCharsets.UTF_8),
                        ExpositionFormat.PROMETHEUS_TEXT,
                        ExpositionLimits.DEFAULTS,
                        () -> ++asked[0] > 3))
                .isInstanceOf(ExpositionParser.ExpositionException.class)
                .hasMessageContaining("scrape timeout passed");
    }

    private static String problemOf(String text) {
        var exposition = ExpositionParser.parse(text);
        assertThat(exposition.samples()).as(text).isEmpty();
        assertThat(exposition.problems()).as(text).hasSize(1);
        return exposition.problems().getFirst();
    }

    private static ExpositionParser.Exposition parse(byte[] body, ExpositionFormat format) {
        return ExpositionParser.parse(body, format, ExpositionLimits.DEFAULTS, () -> false);
    }

    @Test
    void ignoresOrdinaryComments() {
        assertThat(ExpositionParser.parse("# just a comment\n#\n# HELPER x\n").samples())
                .isEmpty();
    }
}
