package io.meridian.observability.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.observability.domain.ExpositionParser.ParsedSample;
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
    void rejectsMalformedLinesNamingTheLine() {
        assertThatThrownBy(() -> ExpositionParser.parse("ok 1\nbad-name 1\n"))
                .hasMessageContaining("line 2")
                .hasMessageContaining("invalid metric name");
        assertThatThrownBy(() -> ExpositionParser.parse("a{x=1} 1")).hasMessageContaining("must be quoted");
        assertThatThrownBy(() -> ExpositionParser.parse("a{x=\"1} 1")).hasMessageContaining("unterminated");
        assertThatThrownBy(() -> ExpositionParser.parse("a 1 2 3")).hasMessageContaining("after the timestamp");
        assertThatThrownBy(() -> ExpositionParser.parse("a one")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> ExpositionParser.parse("a 1d")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> ExpositionParser.parse("a 1 1.5")).hasMessageContaining("not an integer");
        assertThatThrownBy(() -> ExpositionParser.parse("a{x=\"1\",x=\"2\"} 1")).hasMessageContaining("twice");
        assertThatThrownBy(() -> ExpositionParser.parse("# TYPE a bogus\n"))
                .hasMessageContaining("unknown metric type");
        assertThatThrownBy(() -> ExpositionParser.parse("a\n")).hasMessageContaining("no value");
    }

    @Test
    void ignoresOrdinaryComments() {
        assertThat(ExpositionParser.parse("# just a comment\n#\n# HELPER x\n").samples())
                .isEmpty();
    }
}
