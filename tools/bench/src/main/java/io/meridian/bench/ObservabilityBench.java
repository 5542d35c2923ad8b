package io.meridian.bench;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.cluster.ClusterPhase;
import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.kafka.CloudEventHeaders;
import io.meridian.contracts.kafka.ClusterKeyPartitioner;
import io.meridian.fleetsim.Fleet;
import io.meridian.fleetsim.FleetOptions;
import io.meridian.fleetsim.SimulatedCluster;
import io.meridian.stack.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code bench observability [--clusters 100] [--objects 300] [--seconds 120] [--rules 20] [--keep-stack]}: an
 * isolated stack, the simulated fleet in this JVM, the packaged observability service as its own process. The
 * clusters are announced on fleet.clusters.v1 as inventory would (Ready, with their metrics URL); the service
 * scrapes every one each 15 s and evaluates the built-in rules plus {@code --rules} custom metric rules each
 * 10 s. Measured over {@code --seconds} after every cluster was scraped once: batches and samples published,
 * scrape duration, rule evaluation latency, the service's CPU and RSS, and the health API latency.
 */
final class ObservabilityBench {

    private final Path repo;
    private final Map<String, String> options;

    ObservabilityBench(Path repo, Map<String, String> options) {
        this.repo = repo;
        this.options = options;
    }

    void run() throws Exception {
        int clusters = Options.number(options, "clusters", 100);
        int objects = Options.number(options, "objects", 300);
        int seconds = Options.number(options, "seconds", 120);
        int rules = Options.number(options, "rules", 20);
        BenchStack stack = new BenchStack(repo);
        stack.freshUp();
        try (Fleet fleet = stack.fleet(
                        FleetOptions.defaults().withClusters(clusters).withObjectsPerCluster(objects));
                ServiceProcess service = stack.start(
                        "observability", 18085, Map.of("meridian.observability.alerts.startup-grace", "0s"))) {
            Api api = new Api(service.baseUrl(), Api.token(stack.keycloak(), "admin"));
            String token = Api.token(stack.keycloak(), "admin");
            removeCustomRules(service.baseUrl(), token, api);
            for (int i = 0; i < rules; i++) {
                api.post("/api/v1/alert-rules", rule(i));
            }
            Map<String, AtomicLong> batches = new ConcurrentHashMap<>();
            AtomicLong samples = new AtomicLong();
            AtomicLong bytes = new AtomicLong();
            Thread watcher = watchMetrics(stack.kafka(), batches, samples, bytes);

            long announced = System.nanoTime();
            announce(stack.kafka(), fleet.clusters(), java.util.Set.of());
            while (batches.size() < clusters && Bench.seconds(announced) < 120) {
                Thread.sleep(200);
            }
            double firstRound = Bench.seconds(announced);
            System.out.printf(
                    "%d of %d clusters scraped at least once after %.1f s%n", batches.size(), clusters, firstRound);

            Map<String, Double> before = ServiceMetrics.scrape(service.managementUrl());
            long batchesBefore = total(batches);
            long samplesBefore = samples.get();
            long bytesBefore = bytes.get();
            long start = System.nanoTime();
            Stats health = new Stats();
            long rssMax = 0;
            while (Bench.seconds(start) < seconds) {
                long t = System.nanoTime();
                api.get("/api/v1/health");
                health.add(Bench.millis(t));
                rssMax = Math.max(rssMax, service.rssMiB());
                Thread.sleep(1000);
            }
            double elapsed = Bench.seconds(start);
            Map<String, Double> after = ServiceMetrics.scrape(service.managementUrl());
            watcher.interrupt();

            double cpuSeconds = delta(after, before, "process_cpu_time_ns_total") / 1e9;
            double scrapes = delta(after, before, "meridian_observability_scrape_duration_seconds_count");
            double scrapeSeconds = delta(after, before, "meridian_observability_scrape_duration_seconds_sum");
            double evaluations =
                    delta(after, before, "meridian_observability_alerts_evaluation_duration_seconds_count");
            double evaluationSeconds =
                    delta(after, before, "meridian_observability_alerts_evaluation_duration_seconds_sum");
            Table table = new Table("observability: " + clusters + " clusters scraped every 15 s, " + (8 + rules)
                    + " rules evaluated every 10 s, measured over " + Math.round(elapsed) + " s, 2 cores");
            table.row("first scrape of every cluster", String.format("%.1f s after announcing them", firstRound))
                    .row(
                            "MetricsBatches published",
                            String.format(
                                    "%d (%.1f/s)",
                                    total(batches) - batchesBefore, (total(batches) - batchesBefore) / elapsed))
                    .row(
                            "samples published",
                            String.format(
                                    "%d (%.0f/s, %.0f per batch)",
                                    samples.get() - samplesBefore,
                                    (samples.get() - samplesBefore) / elapsed,
                                    (samples.get() - samplesBefore) / Math.max(1.0, total(batches) - batchesBefore)))
                    .row(
                            "bytes on fleet.metrics.v1 (uncompressed JSON)",
                            String.format("%.1f MiB/s", (bytes.get() - bytesBefore) / elapsed / (1 << 20)))
                    .row(
                            "scrape + parse + publish per cluster",
                            String.format(
                                    "mean %.1f ms over %d scrapes, max %.0f" + " ms",
                                    1000 * scrapeSeconds / Math.max(1, scrapes),
                                    (long) scrapes,
                                    1000
                                            * after.getOrDefault(
                                                    "meridian_observability_scrape_duration_seconds_max", Double.NaN)))
                    .row(
                            "rule evaluation (all rules, store, announce)",
                            String.format(
                                    "mean %.1f ms over %d runs, max %.0f" + " ms",
                                    1000 * evaluationSeconds / Math.max(1, evaluations),
                                    (long) evaluations,
                                    1000
                                            * after.getOrDefault(
                                                    "meridian_observability_alerts_evaluation_duration_seconds_max",
                                                    Double.NaN)))
                    .row(
                            "series held",
                            String.format("%.0f", after.getOrDefault("meridian_observability_series", Double.NaN)))
                    .row(
                            "service CPU",
                            String.format("%.2f cores on average (%.1f CPU-s)", cpuSeconds / elapsed, cpuSeconds))
                    .row("service RSS", String.format("%d MiB at the end, %d MiB max", service.rssMiB(), rssMax))
                    .latency("GET /api/v1/health (once a second)", health);
            table.print();
        } finally {
            if (!options.containsKey("keep-stack")) {
                stack.down();
            }
        }
    }

    /** A kept bench database still holds the rules of an earlier run: start from the built-in ones only. */
    private static void removeCustomRules(String url, String token, Api api) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (var rule : api.get("/api/v1/alert-rules")) {
            if (!rule.path("builtIn").asBoolean()) {
                http.send(
                        HttpRequest.newBuilder(URI.create(url + "/api/v1/alert-rules/"
                                        + rule.path("rule").path("name").asText()))
                                .header("Authorization", "Bearer " + token)
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
            }
        }
    }

    private static Map<String, Object> rule(int i) {
        return Map.of(
                "name", "BenchNamespaceCpu" + i,
                "condition",
                        Map.of(
                                "metric", "container_cpu_usage_cores",
                                "aggregate", "sum",
                                "by", List.of("cluster", "namespace")),
                "op", ">",
                "threshold", 1.0 + i,
                "for", "1m",
                "severity", "warning",
                "summary", "{{ $labels.namespace }} on {{ $labels.cluster }} uses {{ $value }} cores");
    }

    /**
     * Announces {@code clusters} on fleet.clusters.v1 as inventory would: Ready with their metrics URL, or Unreachable
     * for those named in {@code unreachable}.
     */
    static void announce(Properties kafka, List<SimulatedCluster> clusters, java.util.Set<String> unreachable)
            throws Exception {
        Properties props = new Properties();
        props.putAll(kafka);
        props.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, ClusterKeyPartitioner.class.getName());
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (SimulatedCluster c : clusters) {
                int nodes = c.client().nodes().list().getItems().size();
                ClusterSnapshot snapshot = new ClusterSnapshot(
                        c.name(),
                        c.name(),
                        c.displayName(),
                        io.meridian.contracts.cluster.Cloud.fromWire(c.cloud().wireName())
                                .orElse(io.meridian.contracts.cluster.Cloud.OTHER),
                        c.region(),
                        c.environment(),
                        c.labels(),
                        c.apiServerUrl(),
                        c.metricsUrl(),
                        unreachable.contains(c.name()) ? ClusterPhase.Unreachable : ClusterPhase.Ready,
                        List.of(),
                        "v1.31.0",
                        nodes,
                        nodes * 8000L,
                        nodes * (32L << 30),
                        null,
                        null,
                        List.of(),
                        1,
                        Instant.now());
                CloudEvent event = CloudEvent.of(
                        EventType.CLUSTER_REGISTERED,
                        URI.create("/bench"),
                        c.name(),
                        OffsetDateTime.now(),
                        EventJson.write(snapshot));
                ProducerRecord<String, byte[]> record =
                        new ProducerRecord<>(Topic.CLUSTERS.topicName(), c.name(), event.data());
                CloudEventHeaders.write(event, record.headers());
                producer.send(record);
            }
            producer.flush();
        }
    }

    private static Thread watchMetrics(
            Properties kafka, Map<String, AtomicLong> batches, AtomicLong samples, AtomicLong bytes) {
        return Thread.ofPlatform().daemon().start(() -> {
            Properties props = new Properties();
            props.putAll(kafka);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-metrics-" + UUID.randomUUID());
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (KafkaConsumer<String, byte[]> consumer =
                    new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(Topic.METRICS.topicName()));
                while (!Thread.currentThread().isInterrupted()) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(java.time.Duration.ofMillis(200))) {
                        batches.computeIfAbsent(r.key(), k -> new AtomicLong()).incrementAndGet();
                        bytes.addAndGet(r.value() == null ? 0 : r.value().length);
                        samples.addAndGet(countSamples(r.value()));
                    }
                }
            } catch (org.apache.kafka.common.errors.InterruptException stopped) {
                // the measurement is over
            }
        });
    }

    /** Samples in a MetricsBatch, counted without binding the whole batch. */
    private static long countSamples(byte[] json) {
        if (json == null) {
            return 0;
        }
        long count = 0;
        byte[] needle = "\"metric\"".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + needle.length <= json.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (json[i + j] != needle[j]) {
                    continue outer;
                }
            }
            count++;
        }
        return count;
    }

    private static long total(Map<String, AtomicLong> batches) {
        return batches.values().stream().mapToLong(AtomicLong::get).sum();
    }

    private static double delta(Map<String, Double> after, Map<String, Double> before, String name) {
        return after.getOrDefault(name, Double.NaN) - before.getOrDefault(name, 0.0);
    }
}
