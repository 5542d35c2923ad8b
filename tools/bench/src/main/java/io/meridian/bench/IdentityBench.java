package io.meridian.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.contracts.Topic;
import io.meridian.contracts.sync.ObjectOutcome;
import io.meridian.contracts.sync.SyncReport;
import io.meridian.fleetsim.Fleet;
import io.meridian.fleetsim.FleetOptions;
import io.meridian.stack.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code bench identity [--clusters 100] [--objects 200] [--rounds 10] [--warmup 1] [--warmup-seconds 30] [--keep-stack]}: an isolated stack, the
 * simulated fleet in this JVM, the packaged inventory and identity as their own processes; per round one group grant
 * for the whole fleet is created and approved by a second fleet-admin, and the time from the approval until inventory
 * reports the grant's RoleBinding applied on every cluster is measured; then the grant is revoked and the time until
 * it is gone everywhere.
 */
final class IdentityBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> options;
    private final java.nio.file.Path repo;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    IdentityBench(Map<String, String> options, java.nio.file.Path repo) {
        this.options = options;
        this.repo = repo;
    }

    void run() throws Exception {
        int clusters = Options.number(options, "clusters", 100);
        int objects = Options.number(options, "objects", 200);
        int rounds = Options.number(options, "rounds", 10);
        BenchStack stack = new BenchStack(repo);
        stack.freshUp();
        try (Fleet fleet = stack.fleet(
                        FleetOptions.defaults().withClusters(clusters).withObjectsPerCluster(objects));
                ServiceProcess inventory = stack.start("inventory");
                ServiceProcess identity = stack.start("identity")) {
            String admin = Api.token(stack.keycloak(), "admin");
            String admin2 = Api.token(stack.keycloak(), "admin2");
            Api inventoryApi = new Api(inventory.baseUrl(), admin);
            // identity must know every cluster before a grant can reach it.
            Bench.registerAndAwaitReady(fleet, inventoryApi, clusters);
            Api identityApi = new Api(identity.baseUrl(), admin);

            Map<String, Long> applied = new ConcurrentHashMap<>();
            Map<String, Long> removed = new ConcurrentHashMap<>();
            Map<String, Long> declared = new ConcurrentHashMap<>();
            Map<String, Long> withdrawn = new ConcurrentHashMap<>();
            AtomicReference<String> watched = new AtomicReference<>("");
            Thread reports = watch(stack.kafka(), applied, removed, watched);
            Thread bundles = watchBundles(stack.kafka(), declared, withdrawn, watched);
            Stats declaredOnAll = new Stats();
            Stats toAll = new Stats();
            Stats perCluster = new Stats();
            Stats perClusterLater = new Stats();
            Stats revocation = new Stats();
            Stats withdrawnFromAll = new Stats();
            Table table = new Table("identity: one group grant to " + clusters + " clusters, " + rounds
                    + " rounds (approval -> RoleBinding applied on every cluster), 2 cores");
            int warmup = Options.number(options, "warmup", 1);
            int warmupSeconds = Options.number(options, "warmup-seconds", 30);
            Stats warmupRounds = new Stats();
            double coldStart = Double.NaN;
            long warmupStarted = System.nanoTime();
            int warmedUp = 0;
            int round = 0;
            // Warm-up rounds run the whole path before anything is timed, for --warmup rounds and --warmup-seconds,
            // whichever is longer (JMH warms up by time too); without them the first timed rounds measure the JIT
            // compilers of both services and the simulator more than the services.
            while (true) {
                boolean timed = warmedUp >= warmup && Bench.seconds(warmupStarted) >= warmupSeconds;
                if (timed) {
                    round++;
                } else {
                    warmedUp++;
                }
                if (round > rounds) {
                    break;
                }
                watched.set("\u0000"); // matches nothing until this round's grant exists
                applied.clear();
                removed.clear();
                declared.clear();
                withdrawn.clear();
                JsonNode created = send(
                        identity.baseUrl(),
                        admin,
                        "POST",
                        "/api/v1/grants",
                        Map.of(
                                "subject", Map.of("kind", "group", "name", "payments"),
                                "role", "view",
                                "scope", Map.of(),
                                "namespaces", List.of("default"),
                                "reason", "bench round " + round));
                String id = created.path("id").asText();
                watched.set("meridian-grant-" + id);
                long approved = System.nanoTime();
                send(identity.baseUrl(), admin2, "POST", "/api/v1/grants/" + id + "/approve", null);
                while (applied.size() < clusters && Bench.seconds(approved) < 120) {
                    Thread.sleep(2);
                }
                double approvedToAll = Bench.millis(approved);
                if (timed) {
                    applied.values().forEach(at -> perCluster.add((at - approved) / 1e6));
                    if (round > 1) {
                        applied.values().forEach(at -> perClusterLater.add((at - approved) / 1e6));
                    }
                    lastOfAll(declared, clusters, approved, declaredOnAll, "bundles declared");
                    toAll.add(approvedToAll);
                } else {
                    coldStart = warmedUp == 1 ? approvedToAll : coldStart;
                    warmupRounds.add(approvedToAll);
                }
                System.out.printf(
                        "%s %d: grant %s applied on %d/%d clusters in %.0f ms%n",
                        timed ? "round" : "warm-up",
                        timed ? round : warmedUp,
                        id,
                        applied.size(),
                        clusters,
                        Bench.millis(approved));
                long revoked = System.nanoTime();
                send(identity.baseUrl(), admin, "DELETE", "/api/v1/grants/" + id, null);
                while (removed.size() < clusters && Bench.seconds(revoked) < 120) {
                    Thread.sleep(2);
                }
                if (timed) {
                    revocation.add(Bench.millis(revoked));
                    lastOfAll(withdrawn, clusters, revoked, withdrawnFromAll, "bundles withdrawn");
                }
            }
            reports.interrupt();
            bundles.interrupt();
            table.row("first round after the services started (cold, not timed)", String.format("%.0f ms", coldStart));
            table.latency("warm-up rounds (not timed)", warmupRounds);
            table.latency("approval -> bundle declared for every cluster (identity)", declaredOnAll);
            table.latency("approval -> applied, per cluster", perCluster);
            table.latency("the same, rounds 2.." + rounds, perClusterLater);
            table.latency("approval -> applied on all clusters", toAll);
            table.latency("revocation -> bundle withdrawn for every cluster (identity)", withdrawnFromAll);
            table.latency("revocation -> removed from all clusters", revocation);
            table.row("identity RSS", identity.rssMiB() + " MiB");
            table.row(
                    "grants listed by identity",
                    identityApi.get("/api/v1/grants?limit=1").path("total").asText());
            table.print();
        } finally {
            if (!options.containsKey("keep-stack")) {
                stack.down();
            }
        }
    }

    private JsonNode send(String baseUrl, String token, String method, String path, Object body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json");
        request.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(
                    method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    /** Per cluster, when inventory first reported the watched binding applied, and when it reported it deleted. */
    private static Thread watch(
            Properties kafka, Map<String, Long> applied, Map<String, Long> removed, AtomicReference<String> binding) {
        return Bench.consume(kafka, Topic.SYNC.topicName(), record -> {
            SyncReport report = Bench.syncReport(record);
            if (report == null || !report.owner().equals("identity")) {
                return;
            }
            for (ObjectOutcome outcome : report.outcomes()) {
                if (!outcome.name().equals(binding.get())) {
                    continue;
                }
                switch (outcome.outcome()) {
                    case Created, Patched, Unchanged -> applied.putIfAbsent(report.clusterId(), System.nanoTime());
                    case Deleted -> removed.putIfAbsent(report.clusterId(), System.nanoTime());
                    default -> {
                        // a failure is not "applied"; the round times out and shows it
                    }
                }
            }
        });
    }

    /**
     * Adds the time from {@code since} until the last cluster's moment in {@code times} was seen, if every cluster's
     * was seen after {@code since}: inventory can report before the bench's own consumer of identity's topic has
     * polled, so it waits a little for that consumer, and a round without every cluster is printed, not counted.
     */
    private static void lastOfAll(Map<String, Long> times, int clusters, long since, Stats into, String what)
            throws InterruptedException {
        long waiting = System.nanoTime();
        while (times.size() < clusters && Bench.seconds(waiting) < 5) {
            Thread.sleep(2);
        }
        List<Long> after = times.values().stream().filter(at -> at >= since).toList();
        if (after.size() < clusters) {
            System.out.printf("  %s seen for %d of %d clusters only: not counted%n", what, after.size(), clusters);
            return;
        }
        into.add((after.stream().mapToLong(Long::longValue).max().orElseThrow() - since) / 1e6);
    }

    /**
     * Per cluster, when identity's bundle holding the watched binding reached {@code fleet.desired.identity.v1}, and
     * when a bundle without it (the bench's only grant: a tombstone) followed.
     */
    private static Thread watchBundles(
            Properties kafka,
            Map<String, Long> declared,
            Map<String, Long> withdrawn,
            AtomicReference<String> binding) {
        return Bench.consume(kafka, Topic.DESIRED_IDENTITY.topicName(), record -> {
            if (!record.key().startsWith("identity/")) {
                return;
            }
            boolean holds = record.value() != null
                    && new String(record.value(), StandardCharsets.UTF_8).contains(binding.get());
            if (holds) {
                declared.putIfAbsent(record.key(), System.nanoTime());
            } else if (declared.containsKey(record.key())) {
                withdrawn.putIfAbsent(record.key(), System.nanoTime());
            }
        });
    }
}
