import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Places the demo's example workload with the placement service, for `bin/meridian demo`, and prints where it runs
 * and why. Run in source-file mode with the simulator's libraries (Jackson) and Kafka's on the class path:
 *
 * <pre>java -cp 'tools/fleet-sim/target/lib/*:.meridian/kafka/libs/*' bin/lib/PlaceDemoWorkload.java WORKLOAD_YAML
 *     PLACEMENT_URL TOKEN NAME SECONDS KAFKA_BOOTSTRAP KAFKA_CLIENT_PROPERTIES CLUSTER_NAMES_FILE</pre>
 *
 * First it waits (up to SECONDS) until cost has published the rates of every cluster in CLUSTER_NAMES_FILE on
 * fleet.cost.v1, read as the stack's super user: a workload placed before has no prices to rank clusters by, and a
 * placement does not move without a reason, so "cheapest" would never be seen. Then the workload is created (POST,
 * YAML); one left by an earlier demo is replaced with the file's content (PUT, which keeps the generation when nothing
 * changed). Then it waits up to SECONDS for a decision on that generation that prices every chosen cluster.
 * Exit code 1: the service refused the workload or could not be reached; 3: no decision in time.
 */
public final class PlaceDemoWorkload {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String placement;
    private final String token;

    private PlaceDemoWorkload(String placement, String token) {
        this.placement = placement.replaceAll("/+$", "");
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        // The Kafka client logs its whole configuration at INFO through the simulator's slf4j-simple; only warnings
        // belong in the demo's output.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        if (args.length != 8) {
            System.err.println("usage: PlaceDemoWorkload WORKLOAD_YAML PLACEMENT_URL TOKEN NAME SECONDS"
                    + " KAFKA_BOOTSTRAP KAFKA_CLIENT_PROPERTIES CLUSTER_NAMES_FILE");
            System.exit(2);
        }
        String yaml = Files.readString(Path.of(args[0]));
        PlaceDemoWorkload demo = new PlaceDemoWorkload(args[1], args[2]);
        String name = args[3];
        Duration timeout = Duration.ofSeconds(Long.parseLong(args[4]));
        Set<String> clusters = new TreeSet<>(Files.readAllLines(Path.of(args[7])));
        clusters.removeIf(String::isBlank);
        try {
            try {
                awaitRates(args[5], Path.of(args[6]), clusters, timeout);
            } catch (KafkaException e) {
                // The rates only make the first choice a better one: without them the workload is still placed.
                System.out.println();
                System.out.println("cost: could not read fleet.cost.v1 (" + e + "); placing the workload without"
                        + " waiting for the clusters' rates");
            }
            long generation = demo.declare(yaml, name);
            JsonNode decision = demo.awaitDecision(name, generation, timeout);
            if (decision == null) {
                System.out.println();
                System.out.println("placement: no decision on " + name + " generation " + generation + " within "
                        + timeout.toSeconds() + "s; it may still come: GET " + demo.placement + "/api/v1/workloads/"
                        + name + "/placement");
                System.exit(3);
            }
            print(decision);
        } catch (Failure e) {
            System.err.println();
            System.err.println("meridian: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Reads fleet.cost.v1 from the start until every cluster has a rates record, or the time is up. */
    private static void awaitRates(String bootstrap, Path clientProperties, Set<String> clusters, Duration timeout)
            throws IOException {
        Properties config = new Properties();
        try (var reader = Files.newBufferedReader(clientProperties)) {
            config.load(reader);
        }
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        Set<String> priced = new HashSet<>();
        // Assigned, not subscribed: no consumer group, nothing committed, the whole compacted topic each time.
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor("fleet.cost.v1", Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!priced.containsAll(clusters) && System.nanoTime() - deadline < 0) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    // A tombstone withdraws a cluster's rates.
                    if (record.key() != null && record.key().startsWith("rates/")) {
                        String cluster = record.key().substring("rates/".length());
                        if (record.value() == null) {
                            priced.remove(cluster);
                        } else {
                            priced.add(cluster);
                        }
                    }
                }
                System.out.printf(
                        "\rcost: rates of %d/%d clusters on fleet.cost.v1 (%ds; cost publishes them about 2 minutes"
                                + " after it starts)",
                        priced.stream().filter(clusters::contains).count(),
                        clusters.size(),
                        (System.nanoTime() - started) / 1_000_000_000L);
                System.out.flush();
            }
        }
        System.out.println();
        if (!priced.containsAll(clusters)) {
            System.out.println("cost: no rates yet for " + clusters.stream().filter(c -> !priced.contains(c)).toList()
                    + "; placing the workload anyway (those clusters rank after every priced one)");
        }
    }

    /** Creates the workload, or replaces one an earlier demo left; answers the generation now in force. */
    private long declare(String yaml, String name) throws IOException, InterruptedException {
        HttpResponse<String> created = send("POST", "/api/v1/workloads", yaml);
        if (created.statusCode() == 201) {
            long generation = generation(created);
            System.out.printf("placement: created workload %s (generation %d)%n", name, generation);
            return generation;
        }
        if (created.statusCode() != 409) {
            throw new Failure("could not create workload " + name + ": HTTP " + created.statusCode() + " "
                    + created.body());
        }
        HttpResponse<String> replaced = send("PUT", "/api/v1/workloads/" + name, yaml);
        if (replaced.statusCode() != 200) {
            throw new Failure("could not update workload " + name + " left by an earlier demo: HTTP "
                    + replaced.statusCode() + " " + replaced.body());
        }
        long generation = generation(replaced);
        System.out.printf("placement: workload %s exists from an earlier demo (now generation %d)%n", name, generation);
        return generation;
    }

    /**
     * The first decision on the generation that prices every chosen cluster; at the deadline the last decision on it
     * even unpriced, or null when there is none.
     */
    private JsonNode awaitDecision(String name, long generation, Duration timeout)
            throws IOException, InterruptedException {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        JsonNode decided = null;
        while (true) {
            HttpResponse<String> response = send("GET", "/api/v1/workloads/" + name + "/placement", null);
            if (response.statusCode() != 200) {
                throw new Failure("could not read the placement of " + name + ": HTTP " + response.statusCode() + " "
                        + response.body());
            }
            JsonNode view = JSON.readTree(response.body());
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            if (view.path("decided").asBoolean() && view.path("decisionGeneration").asLong() >= generation) {
                decided = view;
                if (priced(view)) {
                    System.out.printf("\rplacement: %s decided in %ds%-30s%n", name, seconds, "");
                    return view;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                if (decided != null) {
                    System.out.printf("\rplacement: %s decided, some of its clusters still without rates%n", name);
                }
                return decided;
            }
            System.out.printf("\rplacement: waiting for the decision on %s (%ds)", name, seconds);
            System.out.flush();
            Thread.sleep(1000);
        }
    }

    /** Whether the decision knows every chosen cluster's monthly cost (placement has the rates cost published). */
    private static boolean priced(JsonNode view) {
        for (JsonNode c : view.path("chosen")) {
            if (!c.path("monthlyCost").isNumber()) {
                return false;
            }
        }
        return true;
    }

    /** Where the workload runs and, in short, why the other clusters were left out. */
    private static void print(JsonNode view) {
        String currency = view.path("currency").asText("USD");
        JsonNode chosen = view.path("chosen");
        int replicas = 0;
        for (JsonNode c : chosen) {
            replicas += c.path("replicas").asInt();
        }
        System.out.printf(
                "placement: %s runs %d replicas on %d clusters, about %s %s/month%s%n",
                view.path("workload").asText(),
                replicas,
                chosen.size(),
                money(view.path("monthlyCost").asDouble()),
                currency,
                view.path("degraded").asBoolean() ? " (Degraded: " + view.path("unmetSpread") + ")" : "");
        for (JsonNode c : chosen) {
            JsonNode cost = c.path("monthlyCost");
            System.out.printf(
                    "    %-24s %d replica%s  score %.2f  %s%n",
                    c.path("clusterId").asText(),
                    c.path("replicas").asInt(),
                    c.path("replicas").asInt() == 1 ? " " : "s",
                    c.path("score").asDouble(),
                    cost.isNumber() ? money(cost.asDouble()) + " " + currency + "/month" : "no rates yet");
        }
        Map<String, Integer> reasons = new TreeMap<>();
        for (JsonNode r : view.path("rejected")) {
            reasons.merge(r.path("reason").asText(), 1, Integer::sum);
        }
        if (!reasons.isEmpty()) {
            StringBuilder line = new StringBuilder("    not chosen:");
            reasons.forEach((reason, count) -> line.append(' ').append(count).append(' ').append(reason).append(','));
            line.setLength(line.length() - 1);
            System.out.println(line);
        }
    }

    private static String money(double amount) {
        return String.format(Locale.ROOT, "%.2f", amount);
    }

    private static long generation(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body()).path("generation").asLong();
    }

    private HttpResponse<String> send(String method, String path, String yaml) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(placement + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
        if (yaml == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/yaml").method(method, HttpRequest.BodyPublishers.ofString(yaml));
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Failure("cannot reach placement at " + placement + ": " + e);
        }
    }

    private static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }
}
