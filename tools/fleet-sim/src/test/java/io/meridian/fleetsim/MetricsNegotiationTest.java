package io.meridian.fleetsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics endpoint answers OpenMetrics or the 0.0.4 text format by the request's Accept header. */
class MetricsNegotiationTest {

    /** What observability's scraper sends. */
    private static final String SCRAPER_ACCEPT =
            "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5";

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path out;

    static Fleet fleet;

    @BeforeAll
    static void start() {
        fleet = Fleet.start(FleetOptions.defaults().withClusters(4).withSeed(7).withOutDir(out));
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @Test
    void negotiatesByQuality() {
        assertThat(ClusterMetrics.negotiate(SCRAPER_ACCEPT)).isEqualTo(ClusterMetrics.Format.OPENMETRICS_TEXT);
        assertThat(ClusterMetrics.negotiate("application/openmetrics-text; version=1.0.0"))
                .isEqualTo(ClusterMetrics.Format.OPENMETRICS_TEXT);
        assertThat(ClusterMetrics.negotiate("text/plain;version=0.0.4;q=1,*/*;q=0.1"))
                .isEqualTo(ClusterMetrics.Format.PROMETHEUS_TEXT);
        assertThat(ClusterMetrics.negotiate("application/openmetrics-text;q=0.2,text/plain;q=0.9"))
                .isEqualTo(ClusterMetrics.Format.PROMETHEUS_TEXT);
        assertThat(ClusterMetrics.negotiate("application/openmetrics-text;q=0"))
                .isEqualTo(ClusterMetrics.Format.PROMETHEUS_TEXT);
        assertThat(ClusterMetrics.negotiate("*/*")).isEqualTo(ClusterMetrics.Format.PROMETHEUS_TEXT);
        assertThat(ClusterMetrics.negotiate(null)).isEqualTo(ClusterMetrics.Format.PROMETHEUS_TEXT);
    }

    @Test
    void theFleetHasClustersOfBothKindsAndEachAnswersInItsFormat() throws Exception {
        List<SimulatedCluster> clusters = fleet.clusters();
        assertThat(clusters).anyMatch(c -> c.metrics().speaksOpenMetrics());
        assertThat(clusters).anyMatch(c -> !c.metrics().speaksOpenMetrics());

        for (SimulatedCluster cluster : clusters) {
            HttpResponse<String> asked = get(cluster, SCRAPER_ACCEPT);
            HttpResponse<String> plain = get(cluster, "text/plain;version=0.0.4");

            assertThat(asked.statusCode()).isEqualTo(200);
            assertThat(plain.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(plain.body()).doesNotContain("# EOF");
            if (cluster.metrics().speaksOpenMetrics()) {
                assertThat(asked.headers().firstValue("Content-Type"))
                        .hasValue("application/openmetrics-text; version=1.0.0; charset=utf-8");
                assertThat(asked.body())
                        .endsWith("\n# EOF\n")
                        .contains("# TYPE kube_pod_container_status_restarts counter\n")
                        .doesNotContain("# TYPE kube_pod_container_status_restarts_total");
                assertThat(series(asked.body())).isEqualTo(series(plain.body()));
            } else {
                assertThat(asked.headers().firstValue("Content-Type"))
                        .hasValue("text/plain; version=0.0.4; charset=utf-8");
                assertThat(asked.body()).doesNotContain("# EOF");
            }
        }
    }

    /** The series (name and labels) of an exposition, without values, which move with time. */
    private static Set<String> series(String exposition) {
        return exposition
                .lines()
                .filter(line -> !line.startsWith("#"))
                .map(line -> line.substring(0, line.lastIndexOf(' ')))
                .collect(Collectors.toSet());
    }

    private static HttpResponse<String> get(SimulatedCluster cluster, String accept) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(fleet.controlUrl() + "/clusters/" + cluster.name() + "/metrics"))
                .header("Accept", accept)
                .GET()
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
