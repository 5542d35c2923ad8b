package io.meridian.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.meridian.contracts.Topic;
import io.meridian.contracts.kafka.CloudEventHeaders;
import io.meridian.fleetsim.Fleet;
import io.meridian.fleetsim.FleetOptions;
import io.meridian.fleetsim.SimulatedCluster;
import io.meridian.stack.ServiceProcess;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code bench notifications [--clusters 100] [--receivers 20] [--rounds 5] [--down 10] [--warmup 1] [--keep-stack]}:
 * the
 * packaged observability service as its own process with the simulated fleet announced on fleet.clusters.v1 (as in
 * {@code bench observability}), {@code --receivers} webhook receivers on an HTTP server in this JVM and a route tree
 * that sends every alert to each of them (group wait 0 s, group interval 1 s: the figure is the pipeline, not a
 * configured wait). Each
 * round announces {@code --down} clusters Unreachable, waits until every receiver got every firing alert, then
 * announces them Ready again and waits for the resolved ones. Measured per receiver and alert: from the alert's
 * transition (its CloudEvent time on fleet.alerts.v1, the moment the evaluation committed it) to the webhook request
 * arriving here.
 */
final class NotificationBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path repo;
    private final Map<String, String> options;
    // (state, fingerprint) -> when the transition was committed, from fleet.alerts.v1
    private final Map<String, Instant> transitions = new ConcurrentHashMap<>();
    // (state, fingerprint) -> cluster label, to know which round an alert belongs to
    private final Map<String, String> clusterOf = new ConcurrentHashMap<>();
    // (receiver, state, fingerprint) -> when its webhook request arrived
    private final Map<String, Instant> arrivals = new ConcurrentHashMap<>();

    NotificationBench(Path repo, Map<String, String> options) {
        this.repo = repo;
        this.options = options;
    }

    void run() throws Exception {
        int clusters = Options.number(options, "clusters", 100);
        int receivers = Options.number(options, "receivers", 20);
        int rounds = Options.number(options, "rounds", 5);
        int down = Options.number(options, "down", 10);
        int warmup = Options.number(options, "warmup", 1);
        if ((warmup + rounds) * down > clusters) {
            throw new IllegalArgumentException(
                    "(--warmup + --rounds) x --down must not exceed --clusters (each round its own)");
        }
        HttpServer hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        hooks.setExecutor(
                Executors.newFixedThreadPool(8, Thread.ofPlatform().daemon().factory()));
        for (int i = 0; i < receivers; i++) {
            String receiver = "bench-r" + i;
            hooks.createContext("/" + receiver, exchange -> {
                Instant at = Instant.now();
                try (InputStream body = exchange.getRequestBody()) {
                    JsonNode payload = JSON.readTree(body);
                    for (JsonNode alert : payload.path("alerts")) {
                        arrivals.putIfAbsent(
                                receiver + "|" + alert.path("status").asText() + "|"
                                        + alert.path("fingerprint").asText(),
                                at);
                    }
                } catch (RuntimeException unreadable) {
                    System.err.println("bench: unreadable webhook payload for " + receiver + ": " + unreadable);
                }
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
        }
        hooks.start();

        String key = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));
        BenchStack stack = new BenchStack(repo);
        stack.freshUp();
        try (Fleet fleet = stack.fleet(FleetOptions.defaults()
                        .withClusters(clusters)
                        .withObjectsPerCluster(Options.number(options, "objects", 50)));
                ServiceProcess service = stack.start(
                        "observability",
                        18085,
                        Map.of(
                                "meridian.observability.alerts.startup-grace", "0s",
                                "meridian.notifications.secrets.active-key-id", "bench",
                                "meridian.notifications.secrets.keys.bench", key))) {
            Api api = new Api(service.baseUrl(), Api.token(stack.keycloak(), "admin"));
            List<Map<String, Object>> children = new ArrayList<>();
            for (int i = 0; i < receivers; i++) {
                api.put(
                        "/api/v1/receivers/bench-r" + i,
                        Map.of(
                                "kind",
                                "webhook",
                                "url",
                                "http://127.0.0.1:" + hooks.getAddress().getPort() + "/bench-r" + i));
                children.add(Map.of(
                        "receiver",
                        "bench-r" + i,
                        "matchers",
                        List.of(Map.of("label", "alertname", "op", "=~", "value", ".+")),
                        "continueMatching",
                        true));
            }
            api.put(
                    "/api/v1/routes",
                    Map.of(
                            "receiver", "bench-r0",
                            "groupBy", List.of("alertname", "cluster"),
                            "groupWait", "0s",
                            // A group's later notifications, resolved ones included, wait for groupInterval by
                            // design (Alertmanager's semantics): 1 s so that the figure is the pipeline's.
                            "groupInterval", "1s",
                            "repeatInterval", "4h",
                            "routes", children));
            Stats firing = new Stats();
            Stats resolved = new Stats();
            long rssMax = 0;
            Thread watcher = watchAlerts(stack.kafka());
            try {
                List<SimulatedCluster> fleetClusters = fleet.clusters();
                ObservabilityBench.announce(stack.kafka(), fleetClusters, Set.of());

                for (int round = 0; round < warmup + rounds; round++) {
                    List<SimulatedCluster> lost = fleetClusters.subList(round * down, (round + 1) * down);
                    Set<String> names = new java.util.TreeSet<>();
                    lost.forEach(c -> names.add(c.name()));
                    long started = System.nanoTime();
                    ObservabilityBench.announce(stack.kafka(), lost, names);
                    await("firing", names, receivers, started);
                    ObservabilityBench.announce(stack.kafka(), lost, Set.of());
                    await("resolved", names, receivers, started);
                    if (round < warmup) {
                        // The first deliveries open every connection and warm the code: a user meets them once.
                        System.out.printf("warm-up round %d: %.1f s%n", round + 1, Bench.seconds(started));
                        continue;
                    }
                    collect("firing", names, receivers, firing);
                    collect("resolved", names, receivers, resolved);
                    rssMax = Math.max(rssMax, service.rssMiB());
                    System.out.printf(
                            "round %d: %d clusters down and back, %.1f s, firing p99 so far %.0f ms%n",
                            round + 1 - warmup, down, Bench.seconds(started), firing.percentile(99));
                }
            } finally {
                watcher.interrupt();
            }
            Table table = new Table("notifications: " + clusters + " clusters, " + receivers
                    + " webhook receivers each getting every alert, " + rounds + " rounds of " + down
                    + " clusters lost and back after " + warmup
                    + " warm-up round(s), group wait 0 s, group interval 1 s, 2 cores");
            table.latency("alert firing -> webhook delivered (per receiver and alert)", firing)
                    .latency("alert resolved -> webhook delivered (per receiver and alert)", resolved)
                    .row("service RSS", String.format("%d MiB at the end, %d MiB max", service.rssMiB(), rssMax))
                    .row("service live heap after GC", LiveHeap.mib(LiveHeap.bytes(service.pid())));
            table.print();
        } finally {
            hooks.stop(0);
            if (!options.containsKey("keep-stack")) {
                stack.down();
            }
        }
    }

    /** Waits until every receiver got the {@code state} notification of every alert of {@code clusters}. */
    private void await(String state, Set<String> clusters, int receivers, long started) throws InterruptedException {
        while (Bench.seconds(started) < 180) {
            List<String> fingerprints = fingerprints(state, clusters);
            if (fingerprints.size() >= clusters.size()
                    && fingerprints.stream().allMatch(fp -> delivered(state, fp, receivers))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("after 180 s not every receiver got the " + state + " alerts of " + clusters
                + ": alerts seen " + fingerprints(state, clusters).size() + "; check the service's log");
    }

    private boolean delivered(String state, String fingerprint, int receivers) {
        for (int i = 0; i < receivers; i++) {
            if (!arrivals.containsKey("bench-r" + i + "|" + state + "|" + fingerprint)) {
                return false;
            }
        }
        return true;
    }

    private List<String> fingerprints(String state, Set<String> clusters) {
        return transitions.keySet().stream()
                .filter(k -> k.startsWith(state + "|"))
                .filter(k -> clusters.contains(clusterOf.get(k)))
                .map(k -> k.substring(state.length() + 1))
                .toList();
    }

    private void collect(String state, Set<String> clusters, int receivers, Stats stats) {
        for (String fp : fingerprints(state, clusters)) {
            Instant at = transitions.get(state + "|" + fp);
            for (int i = 0; i < receivers; i++) {
                Instant arrived = arrivals.get("bench-r" + i + "|" + state + "|" + fp);
                stats.add(java.time.Duration.between(at, arrived).toNanos() / 1e6);
            }
        }
    }

    /** Reads fleet.alerts.v1: each firing and resolved transition with its CloudEvent time and cluster. */
    private Thread watchAlerts(Properties kafka) {
        return Thread.ofPlatform().daemon().start(() -> {
            Properties props = new Properties();
            props.putAll(kafka);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-alerts-" + UUID.randomUUID());
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (KafkaConsumer<String, byte[]> consumer =
                    new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(Topic.ALERTS.topicName()));
                while (!Thread.currentThread().isInterrupted()) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(java.time.Duration.ofMillis(100))) {
                        if (r.value() == null) {
                            continue;
                        }
                        JsonNode alert = JSON.readTree(r.value());
                        String state = alert.path("state").asText();
                        if (!state.equals("firing") && !state.equals("resolved")) {
                            continue;
                        }
                        Header time = r.headers().lastHeader(CloudEventHeaders.TIME);
                        Instant at = time == null
                                ? Instant.ofEpochMilli(r.timestamp())
                                : OffsetDateTime.parse(new String(time.value(), StandardCharsets.UTF_8))
                                        .toInstant();
                        String key = state + "|" + alert.path("fingerprint").asText();
                        transitions.putIfAbsent(key, at);
                        clusterOf.putIfAbsent(key, alert.path("clusterId").asText(""));
                    }
                }
            } catch (org.apache.kafka.common.errors.InterruptException stopped) {
                // the measurement is over
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
