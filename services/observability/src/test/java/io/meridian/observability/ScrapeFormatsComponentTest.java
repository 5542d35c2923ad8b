package io.meridian.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.cluster.Cloud;
import io.meridian.contracts.cluster.ClusterPhase;
import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.metrics.MetricsBatch;
import io.meridian.contracts.metrics.Sample;
import io.meridian.observability.reconcile.MetricsScraper;
import io.meridian.testsupport.CloudEventCollector;
import io.meridian.testsupport.CloudEventCollector.Received;
import io.meridian.testsupport.EventProducer;
import io.meridian.testsupport.KafkaBroker;
import io.meridian.testsupport.KafkaTestResource;
import io.meridian.testsupport.PostgresTestResource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scrapes endpoints that answer OpenMetrics or the 0.0.4 text format, with lines the parser cannot read: the scrape
 * keeps the rest, and the skipped lines show in the cluster's scrape status and in a per-cluster counter.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "schema", value = "observability"))
@WithTestResource(OidcWiremockTestResource.class)
class ScrapeFormatsComponentTest {

    private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /** Per cluster: the Content-Type and body its endpoint answers. */
    private static final Map<String, String[]> answers = new ConcurrentHashMap<>();

    private static final Map<String, String> acceptSeen = new ConcurrentHashMap<>();

    private static CloudEventCollector events;
    private static EventProducer producer;
    private static HttpServer endpoints;

    @Inject
    MetricsScraper scraper;

    @Inject
    MeterRegistry registry;

    @BeforeAll
    static void start() throws IOException {
        String bootstrap = KafkaBroker.shared().bootstrapServers();
        events = CloudEventCollector.collect(bootstrap, Topic.METRICS.topicName());
        producer = new EventProducer(bootstrap, "/test/inventory");
        endpoints = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        endpoints.setExecutor(Executors.newCachedThreadPool());
        endpoints.createContext("/", exchange -> {
            String cluster = exchange.getRequestURI().getPath().substring(1);
            acceptSeen.put(cluster, String.valueOf(exchange.getRequestHeaders().getFirst("Accept")));
            String[] answer = answers.get(cluster);
            byte[] bytes = answer[1].getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer[0]);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        endpoints.start();
    }

    @AfterAll
    static void stop() {
        endpoints.stop(0);
        producer.close();
        events.close();
    }

    @Test
    void anOpenMetricsScrapeWithABadLineKeepsTheRestAndReportsTheSkippedLine() {
        answers.put("aws-om-1", new String[] {OPENMETRICS, """
            # TYPE node_cpu_usage_cores gauge
            node_cpu_usage_cores{node="n1"} 0.5 1700000000.25
            node_cpu_usage_cores{node="n2" 0.7
            # TYPE kube_pod_container_status_restarts counter
            kube_pod_container_status_restarts_total{pod="p"} 3 # {trace_id="t"} 1
            kube_pod_container_status_restarts_created{pod="p"} 1600000000
            # EOF
            """});
        register("aws-om-1");

        MetricsBatch batch = firstBatchOf("aws-om-1");

        assertThat(acceptSeen.get("aws-om-1")).startsWith("application/openmetrics-text;version=1.0.0");
        assertThat(batch.samples())
                .extracting(Sample::metric, s -> s.labels(), Sample::value, Sample::timestamp)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                                "node_cpu_usage_cores",
                                Map.of("node", "n1"),
                                0.5,
                                Instant.ofEpochMilli(1_700_000_000_250L)),
                        org.assertj.core.groups.Tuple.tuple(
                                "kube_pod_container_status_restarts_total",
                                Map.of("pod", "p"),
                                3.0,
                                batch.scrapedAt()));
        MetricsScraper.ScrapeStatus status = scraper.status("aws-om-1").orElseThrow();
        assertThat(status.lastError()).isNull();
        assertThat(status.lastSkippedLines()).isEqualTo(1);
        assertThat(status.lastProblems()).singleElement().asString().startsWith("line 3: ");
        Counter skipped = registry.find("meridian.observability.scrape.lines.skipped")
                .tag("cluster", "aws-om-1")
                .counter();
        assertThat(skipped).isNotNull();
        assertThat(skipped.count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aPrometheusTextScrapeWithAMissingCommaAndAnEmptyHelpKeepsEverySample() {
        answers.put("aws-text-1", new String[] {"text/plain; version=0.0.4; charset=utf-8", """
            # HELP container_cpu_usage_cores
            container_cpu_usage_cores{namespace="shop" pod="web-1",container="app",} 0.5
            container_cpu_usage_cores{namespace="shop",pod="web-2",container="app"} 0.3
            """});
        register("aws-text-1");

        MetricsBatch batch = firstBatchOf("aws-text-1");

        assertThat(batch.samples()).hasSize(2);
        assertThat(batch.samples().getFirst().labels())
                .containsEntry("namespace", "shop")
                .containsEntry("pod", "web-1");
        assertThat(scraper.status("aws-text-1").orElseThrow().lastSkippedLines())
                .isZero();
    }

    private static MetricsBatch firstBatchOf(String cluster) {
        List<Received> batches = Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> events.ofType(EventType.METRICS_SAMPLED.type()).stream()
                                .filter(r -> cluster.equals(r.key()))
                                .toList(),
                        list -> !list.isEmpty());
        return EventJson.read(batches.getFirst().value(), MetricsBatch.class);
    }

    private static void register(String cluster) {
        String url = "http://127.0.0.1:" + endpoints.getAddress().getPort() + "/" + cluster;
        ClusterSnapshot snapshot = new ClusterSnapshot(
                cluster,
                cluster,
                null,
                Cloud.AWS,
                "eu-west-1",
                "prod",
                Map.of(),
                "https://127.0.0.1:6443",
                url,
                ClusterPhase.Ready,
                List.of(),
                "v1.31.0",
                2,
                4000,
                16L << 30,
                null,
                null,
                List.of(),
                System.currentTimeMillis(),
                Instant.now());
        producer.send(EventType.CLUSTER_STATUS_CHANGED, cluster, cluster, snapshot);
    }
}
