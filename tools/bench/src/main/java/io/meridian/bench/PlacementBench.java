package io.meridian.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.contracts.Topic;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.sync.ObjectOutcome;
import io.meridian.contracts.sync.SyncReport;
import io.meridian.fleetsim.Fleet;
import io.meridian.fleetsim.FleetOptions;
import io.meridian.stack.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code bench placement [--clusters 100] [--objects 150] [--workloads 10] [--warmup 2] [--rollouts 3]
 * [--failover-workloads 10] [--failover-after 10] [--controller-delay-ms 1000] [--keep-stack]}: an isolated stack, the
 * simulated fleet in this JVM (its controllers make a written Deployment available after the controller delay), the
 * packaged inventory and placement as their own processes. It measures, with a fleet-admin's token:
 *
 * <ol>
 *   <li>a Duplicated workload created for every cluster until it is available on all of them (all those with room:
 *       the run prints any that placement left out, and why), as placement's explanation shows it (each cluster at
 *       generation 1, available): p50/p99 over {@code --workloads}, after {@code --warmup} untimed ones, with where
 *       the time goes (every bundle declared, every cluster's sync report);
 *   <li>a new image for one of them, in waves of 25% of the clusters with no canary and no pause, until the rollout
 *       completed and every cluster runs the new generation available: the total, {@code --rollouts} times;
 *   <li>a cluster holding {@code --failover-workloads} workloads (each on 4 clusters, that one first) going down, from
 *       the time inventory declared it Unreachable (the decision's {@code lostAt}) until each workload is available on
 *       its replacement: p50/p99, against the goal of {@code failover.after} + 5 s;
 * </ol>
 *
 * <p>and placement's live heap after a full collection (and its RSS) with the first workloads on every cluster and at
 * the end.
 */
final class PlacementBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAMESPACE = "bench-placement";
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration AVAILABLE_WITHIN = Duration.ofSeconds(120);
    /** The first workload waits for placement to know every cluster, which may still be arriving. */
    private static final Duration FIRST_AVAILABLE_WITHIN = Duration.ofSeconds(300);
    /** Each failover workload runs on this many clusters; losing one of them is below failover.maxFraction (1/3). */
    private static final int FAILOVER_CLUSTERS = 4;

    private final Map<String, String> options;
    private final Path repo;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private String token;
    private String placementUrl;

    PlacementBench(Map<String, String> options, Path repo) {
        this.options = options;
        this.repo = repo;
    }

    void run() throws Exception {
        int clusters = Options.number(options, "clusters", 100);
        int objects = Options.number(options, "objects", 150);
        Duration controllerDelay = Duration.ofMillis(Options.number(options, "controller-delay-ms", 1000));
        BenchStack stack = new BenchStack(repo);
        stack.freshUp();
        try (Fleet fleet = stack.fleet(FleetOptions.defaults()
                        .withClusters(clusters)
                        .withObjectsPerCluster(objects)
                        .withControllerDelay(controllerDelay));
                ServiceProcess inventory = stack.start("inventory");
                ServiceProcess placement = stack.start("placement")) {
            token = Api.token(stack.keycloak(), "admin");
            placementUrl = placement.baseUrl();
            Api inventoryApi = new Api(inventory.baseUrl(), token);
            Bench.registerAndAwaitReady(fleet, inventoryApi, clusters);

            Table table = new Table("placement: " + clusters + " clusters, controller delay "
                    + controllerDelay.toMillis() + " ms, 2 cores");
            Created created = create(stack, clusters, table, inventory, placement);
            rollOut(created.rolled(), table);
            long heapLoaded = LiveHeap.bytes(placement.pid());
            table.row(
                    "placement live heap after GC, "
                            + (Options.number(options, "warmup", 2) + Options.number(options, "workloads", 10))
                            + " workloads on every chosen cluster",
                    LiveHeap.mib(heapLoaded) + " (RSS " + placement.rssMiB() + " MiB)");
            removeAll(inventoryApi, table);
            failover(created.roomy(), fleet, table);
            table.row(
                    "placement live heap after GC, at the end",
                    LiveHeap.mib(LiveHeap.bytes(placement.pid())) + " (RSS " + placement.rssMiB() + " MiB)");
            table.row("inventory RSS at the end", inventory.rssMiB() + " MiB");
            table.print();
        } finally {
            if (!options.containsKey("keep-stack")) {
                stack.down();
            }
        }
    }

    // ------------------------------------------------------------------ (a) a workload on every cluster

    /**
     * The workload whose image {@link #rollOut} changes, and the clusters the last created workload was placed on: they
     * had room for every workload, so the failover workloads fit there too.
     */
    private record Created(String rolled, List<String> roomy) {}

    /** Creates the workloads one at a time and times each until available on every cluster placement chose. */
    private Created create(
            BenchStack stack, int clusters, Table table, ServiceProcess inventory, ServiceProcess placement)
            throws Exception {
        int warmup = Options.number(options, "warmup", 2);
        int workloads = Options.number(options, "workloads", 10);
        Map<String, Long> declared = new ConcurrentHashMap<>();
        Map<String, Long> applied = new ConcurrentHashMap<>();
        AtomicReference<String> watched = new AtomicReference<>("\u0000");
        Thread bundles = watchBundles(stack.kafka(), declared, watched);
        Thread reports = watchReports(stack.kafka(), applied, watched);
        Map<String, Long> observed = new ConcurrentHashMap<>();
        Thread resources = watchObserved(stack.kafka(), observed, watched);
        Stats declaredOnAll = new Stats();
        Stats appliedOnAll = new Stats();
        Stats observedOnAll = new Stats();
        Stats availableOnAll = new Stats();
        Stats warmupRounds = new Stats();
        int late = 0;
        int fewest = clusters;
        List<String> chosen = List.of();
        CpuSplit cpu = null;
        for (int i = 1; i <= warmup + workloads; i++) {
            boolean timed = i > warmup;
            if (i == warmup + 1) {
                cpu = CpuSplit.now(inventory, placement);
            }
            String name = String.format("place-%03d", i);
            // The new name first: an event of the previous workload read in between no longer matches.
            watched.set(name);
            declared.clear();
            applied.clear();
            observed.clear();
            long start = System.nanoTime();
            send("POST", "/api/v1/workloads", workload(name, "nginx:1.27", everyCluster()));
            Reached reached = awaitAvailable(name, 1, i == 1 ? FIRST_AVAILABLE_WITHIN : AVAILABLE_WITHIN);
            chosen = reached.chosen();
            double toDeclared = lastOf(declared, chosen.size(), start);
            double toApplied = lastOf(applied, chosen.size(), start);
            // The bench's own reader of the busy topic may lag behind placement's: it gets a moment to catch up.
            awaitAtLeast(observed, chosen.size(), Duration.ofSeconds(5));
            double toObserved = lastOf(observed, chosen.size(), start);
            System.out.printf(
                    "%s %s: placed on %d of %d clusters; bundles declared for %d after %.0f ms, applied on %d after"
                            + " %.0f ms, observed available on %d after %.0f ms, available on all of them (placement)"
                            + " after %.0f ms%n",
                    timed ? "workload" : "warm-up",
                    name,
                    chosen.size(),
                    clusters,
                    declared.size(),
                    toDeclared,
                    applied.size(),
                    toApplied,
                    observed.size(),
                    toObserved,
                    reached.millis());
            if (chosen.size() < clusters) {
                // The simulated clusters' seeded pods may leave some without room: the figure is then over fewer
                // clusters, and says so.
                System.out.println("  not placed: " + reached.rejections());
            }
            if (!timed) {
                warmupRounds.add(reached.millis());
            } else if (Double.isNaN(reached.millis())) {
                late++;
            } else {
                fewest = Math.min(fewest, chosen.size());
                availableOnAll.add(reached.millis());
                declaredOnAll.add(toDeclared);
                appliedOnAll.add(toApplied);
                if (!Double.isNaN(toObserved)) {
                    observedOnAll.add(toObserved);
                }
            }
        }
        bundles.interrupt();
        reports.interrupt();
        resources.interrupt();
        String on = fewest == clusters
                ? "every cluster"
                : "every chosen cluster (at least " + fewest + " of " + clusters + ")";
        table.latency("warm-up workloads (not timed)", warmupRounds);
        table.latency("create -> bundle declared for " + on + " (placement)", declaredOnAll);
        table.latency("create -> applied on " + on + " (inventory's sync reports)", appliedOnAll);
        table.latency("create -> available on " + on + " as inventory observed it (fleet.resources.v1)", observedOnAll);
        table.latency("create -> available on " + on + " (goal p99 <= 3 s)", availableOnAll);
        if (late > 0) {
            table.row("  workloads not available everywhere within " + AVAILABLE_WITHIN.toSeconds() + " s", "" + late);
        }
        if (cpu != null) {
            table.row(
                    "  CPU seconds per timed workload",
                    cpu.perWorkloadUntil(CpuSplit.now(inventory, placement), workloads));
        }
        return new Created(
                String.format("place-%03d", warmup + 1),
                chosen.stream().sorted().toList());
    }

    /**
     * The CPU seconds of each part of the stack since the timed workloads began, and placement's reconciles: what one
     * workload's creation costs where. The create phase keeps the machine busy, so that cost, more than any wait, sets
     * the latency figures.
     */
    private record CpuSplit(
            double inventory,
            double placement,
            double bench,
            double machine,
            double reconciles,
            double reconcileSeconds,
            long atNanos) {

        static CpuSplit now(ServiceProcess inventory, ServiceProcess placement) throws Exception {
            Map<String, Double> metrics = ServiceMetrics.scrape(placement.managementUrl());
            return new CpuSplit(
                    CpuTime.ofProcess(inventory.pid()),
                    CpuTime.ofProcess(placement.pid()),
                    CpuTime.ofThisJvm(),
                    CpuTime.ofMachine(),
                    metrics.getOrDefault("meridian_placement_reconcile_seconds_count", Double.NaN),
                    metrics.getOrDefault("meridian_placement_reconcile_seconds_sum", Double.NaN),
                    System.nanoTime());
        }

        String perWorkloadUntil(CpuSplit end, int workloads) {
            double inv = end.inventory - inventory, pla = end.placement - placement, sim = end.bench - bench;
            double all = end.machine - machine;
            double seconds = (end.atNanos - atNanos) / 1e9;
            int cores = Runtime.getRuntime().availableProcessors();
            double runs = end.reconciles - reconciles;
            return String.format(
                    "inventory %.2f, placement %.2f (%.0f reconciles of %.0f ms on average), simulated clusters and"
                            + " bench %.2f, the rest (Kafka, PostgreSQL, Keycloak) %.2f; the machine was %.0f %% busy"
                            + " (%d cores)",
                    inv / workloads,
                    pla / workloads,
                    runs / workloads,
                    1000 * (end.reconcileSeconds - reconcileSeconds) / runs,
                    sim / workloads,
                    (all - inv - pla - sim) / workloads,
                    100 * all / (cores * seconds),
                    cores);
        }
    }

    /** The time from {@code start} until the last of {@code expected} clusters had it, or NaN when some never did. */
    private static void awaitAtLeast(Map<String, Long> at, int expected, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (at.size() < expected && System.nanoTime() < end) {
            Thread.sleep(POLL.toMillis());
        }
    }

    private static double lastOf(Map<String, Long> at, int expected, long start) {
        if (at.size() < expected) {
            return Double.NaN;
        }
        return (at.values().stream().mapToLong(Long::longValue).max().orElseThrow() - start) / 1e6;
    }

    // ------------------------------------------------------------------ (b) a new image in waves

    private void rollOut(String name, Table table) throws Exception {
        int rollouts = Options.number(options, "rollouts", 3);
        Stats total = new Stats();
        Stats perWave = new Stats();
        int waves = 0;
        int onClusters = 0;
        int late = 0;
        for (int r = 1; r <= rollouts; r++) {
            long generation = 1 + r;
            long start = System.nanoTime();
            send("PUT", "/api/v1/workloads/" + name, workload(name, "nginx:1.27-r" + r, everyCluster()));
            long waveStart = start;
            int wavesSeen = 0;
            double done = Double.NaN;
            while (Bench.seconds(start) < AVAILABLE_WITHIN.toSeconds()) {
                JsonNode view = view(name);
                JsonNode rollout = view.path("rollout");
                if (rollout.path("targetGeneration").asLong() == generation) {
                    waves = rollout.path("waves").size();
                    onClusters = chosen(view).size();
                    int completed = rollout.path("wavesCompleted").asInt();
                    if (completed > wavesSeen) {
                        // Waves that completed between two polls share the time between them.
                        long now = System.nanoTime();
                        for (int w = wavesSeen; w < completed; w++) {
                            perWave.add((now - waveStart) / 1e6 / (completed - wavesSeen));
                        }
                        wavesSeen = completed;
                        waveStart = now;
                    }
                    if (rollout.path("phase").asText().equals("COMPLETED") && availableEverywhere(view, generation)) {
                        done = Bench.millis(start);
                        break;
                    }
                }
                Thread.sleep(POLL.toMillis());
            }
            System.out.printf(
                    "rollout %d: generation %d of %s in %d waves on %d clusters: %.0f ms%n",
                    r, generation, name, waves, onClusters, done);
            if (Double.isNaN(done)) {
                late++;
            } else {
                total.add(done);
            }
        }
        table.latency(
                "new image to " + onClusters + " clusters, " + waves + " waves of 25%, no pause: total (" + rollouts
                        + " rollouts)",
                total);
        table.latency("  one wave: applied and available on its clusters", perWave);
        if (late > 0) {
            table.row("  rollouts not completed within " + AVAILABLE_WITHIN.toSeconds() + " s", "" + late);
        }
    }

    /** Deletes every workload so far, until no cluster runs any of them: the failover cluster then holds only its own. */
    private void removeAll(Api inventory, Table table) throws Exception {
        long start = System.nanoTime();
        // The list is paged ({items, nextCursor}): collect every page before deleting, so deletions cannot shift pages.
        List<String> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = JSON.readTree(send(
                    "GET",
                    "/api/v1/workloads?limit=100"
                            + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)),
                    null));
            page.path("items").forEach(w -> all.add(w.path("name").asText()));
            cursor = page.hasNonNull("nextCursor") ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        for (String name : all) {
            send("DELETE", "/api/v1/workloads/" + name, null);
        }
        String remaining = "/api/v1/resources?kind=Deployment&namespace=" + NAMESPACE + "&limit=1";
        while (inventory.get(remaining).path("total").asInt() > 0) {
            if (Bench.seconds(start) > 300) {
                throw new IllegalStateException("the deleted workloads still run somewhere after 300 s");
            }
            Thread.sleep(500);
        }
        table.row(
                "delete " + all.size() + " workloads -> gone from every cluster (inventory's index)",
                String.format("%.1f s", Bench.seconds(start)));
    }

    // ------------------------------------------------------------------ (c) failover

    private void failover(List<String> roomy, Fleet fleet, Table table) throws Exception {
        int workloads = Options.number(options, "failover-workloads", 10);
        Duration after = Duration.ofSeconds(Options.number(options, "failover-after", 10));
        if (roomy.size() <= FAILOVER_CLUSTERS) {
            throw new IllegalStateException(
                    "the failover needs more than " + FAILOVER_CLUSTERS + " clusters with room");
        }
        // Every workload prefers the same clusters in the same order: the lost one first, the replacement last.
        List<String> preferred = roomy.subList(0, FAILOVER_CLUSTERS + 1);
        String lost = preferred.getFirst();
        String replacement = preferred.getLast();
        Map<String, Object> onPreferred = new LinkedHashMap<>();
        onPreferred.put("mode", "Duplicated");
        onPreferred.put("clusters", Map.of("min", FAILOVER_CLUSTERS, "max", FAILOVER_CLUSTERS));
        onPreferred.put("prefer", Map.of("label", "cluster", "order", preferred));
        List<String> failoverNames = new ArrayList<>();
        for (int i = 1; i <= workloads; i++) {
            String name = String.format("fo-%03d", i);
            Map<String, Object> body = workload(name, "nginx:1.27", onPreferred);
            // Manual failback: the cluster's return must not move anything while the others are measured.
            body.put("failover", Map.of("after", after.toSeconds() + "s", "failback", "Manual"));
            send("POST", "/api/v1/workloads", body);
            failoverNames.add(name);
        }
        for (String name : failoverNames) {
            Reached reached = awaitAvailable(name, 1, AVAILABLE_WITHIN);
            if (Double.isNaN(reached.millis())) {
                throw new IllegalStateException(name + " not available on its clusters within " + AVAILABLE_WITHIN);
            }
            if (!reached.chosen().contains(lost)) {
                throw new IllegalStateException(name + " is not on " + lost + ": " + reached.chosen());
            }
        }

        Instant down = Instant.now();
        fleet.cluster(lost).down();
        Stats detection = new Stats();
        Stats moved = new Stats();
        Stats fromOutage = new Stats();
        Map<String, Boolean> pending = new LinkedHashMap<>();
        failoverNames.forEach(n -> pending.put(n, true));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).plus(after).toNanos();
        try {
            while (!pending.isEmpty() && System.nanoTime() < deadline) {
                for (String name : List.copyOf(pending.keySet())) {
                    JsonNode view = view(name);
                    List<String> chosen = chosen(view);
                    if (chosen.contains(lost) || !chosen.contains(replacement) || !availableOnChosen(view)) {
                        continue;
                    }
                    Instant now = Instant.now();
                    Instant lostAt = lostAt(view, lost);
                    pending.remove(name);
                    fromOutage.add(Duration.between(down, now).toNanos() / 1e6);
                    if (lostAt != null) {
                        detection.add(Duration.between(down, lostAt).toNanos() / 1e6);
                        moved.add(Duration.between(lostAt, now).toNanos() / 1e6);
                    }
                }
                // A sweep over every workload's explanation; the pause keeps the polling from competing for the cores.
                Thread.sleep(2 * POLL.toMillis());
            }
        } finally {
            fleet.cluster(lost).up();
        }
        System.out.printf(
                "failover: %d/%d workloads available on %s after %s went down%n",
                workloads - pending.size(), workloads, replacement, lost);
        table.latency("cluster down -> Unreachable (inventory's probes; not placement's)", detection);
        table.latency(
                "failover of a cluster holding " + workloads + " workloads: Unreachable -> available elsewhere"
                        + " (goal p99 <= failover.after " + after.toSeconds() + " s + 5 s)",
                moved);
        table.latency("  cluster down -> available elsewhere", fromOutage);
        if (!pending.isEmpty()) {
            table.row("  workloads not failed over within " + (60 + after.toSeconds()) + " s", "" + pending.size());
        }
    }

    // ------------------------------------------------------------------ the workloads

    private static Map<String, Object> everyCluster() {
        return Map.of("mode", "Duplicated");
    }

    /**
     * A small web Deployment (two replicas) with the given image, rolled out in waves of 25% of its clusters, no canary,
     * no pause. Its requests are tiny: the simulator seeds some clusters nearly full, and every workload should fit on
     * every cluster for the figures to be over the whole fleet.
     */
    private static Map<String, Object> workload(String name, String image, Map<String, Object> placement) {
        Map<String, Object> deployment = Map.of(
                "apiVersion",
                "apps/v1",
                "kind",
                "Deployment",
                "metadata",
                Map.of("name", name, "namespace", NAMESPACE),
                "spec",
                Map.of(
                        "replicas",
                        2,
                        "selector",
                        Map.of("matchLabels", Map.of("app", name)),
                        "template",
                        Map.of(
                                "metadata",
                                Map.of("labels", Map.of("app", name)),
                                "spec",
                                Map.of(
                                        "containers",
                                        List.of(Map.of(
                                                "name",
                                                "web",
                                                "image",
                                                image,
                                                "resources",
                                                Map.of("requests", Map.of("cpu", "10m", "memory", "16Mi"))))))));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("namespace", NAMESPACE);
        body.put("manifests", List.of(deployment));
        body.put("placement", placement);
        body.put("rollout", Map.of("canary", 0, "maxInFlight", "25%", "pause", "0s", "healthTimeout", "5m"));
        return body;
    }

    // ------------------------------------------------------------------ what placement says

    /**
     * How long a workload took to run available on every cluster placement chose for it (NaN when it did not within
     * the time allowed), those clusters, and why the others were not chosen (reason: clusters).
     */
    private record Reached(double millis, List<String> chosen, Map<String, List<String>> rejections) {}

    /** Polls the workload's explanation until {@link #availableEverywhere} holds for {@code generation}. */
    private Reached awaitAvailable(String name, long generation, Duration within) throws Exception {
        long start = System.nanoTime();
        JsonNode view = view(name);
        while (!availableEverywhere(view, generation)) {
            if (Bench.seconds(start) > within.toSeconds()) {
                return reached(Double.NaN, view);
            }
            Thread.sleep(POLL.toMillis());
            view = view(name);
        }
        return reached(Bench.millis(start), view);
    }

    private static Reached reached(double millis, JsonNode view) {
        Map<String, List<String>> rejections = new TreeMap<>();
        view.path("rejected")
                .forEach(r -> rejections
                        .computeIfAbsent(r.path("reason").asText(), k -> new ArrayList<>())
                        .add(r.path("clusterId").asText()));
        return new Reached(millis, chosen(view), rejections);
    }

    /**
     * Placement decided, the clusters told to run the workload are exactly the chosen ones (a move is complete), each
     * at {@code generation}, and the workload is available on each.
     */
    static boolean availableEverywhere(JsonNode view, long generation) {
        List<String> chosen = chosen(view);
        JsonNode states = view.path("clusters");
        if (!view.path("decided").asBoolean() || chosen.isEmpty() || states.size() != chosen.size()) {
            return false;
        }
        for (JsonNode c : states) {
            if (!chosen.contains(c.path("clusterId").asText())
                    || c.path("assignedGeneration").asLong() != generation
                    || !c.path("available").asBoolean()) {
                return false;
            }
        }
        return true;
    }

    /** Every chosen cluster has the workload available (clusters it moves away from may still be assigned). */
    static boolean availableOnChosen(JsonNode view) {
        List<String> chosen = chosen(view);
        if (chosen.isEmpty()) {
            return false;
        }
        int available = 0;
        for (JsonNode c : view.path("clusters")) {
            if (chosen.contains(c.path("clusterId").asText())
                    && c.path("available").asBoolean()) {
                available++;
            }
        }
        return available == chosen.size();
    }

    static List<String> chosen(JsonNode view) {
        List<String> ids = new ArrayList<>();
        view.path("chosen").forEach(c -> ids.add(c.path("clusterId").asText()));
        return ids;
    }

    /** When the decision says the cluster was lost (inventory's time of Unreachable), or null. */
    static Instant lostAt(JsonNode view, String cluster) {
        for (JsonNode d : view.path("displaced")) {
            if (d.path("clusterId").asText().equals(cluster) && d.hasNonNull("lostAt")) {
                return Instant.parse(d.path("lostAt").asText());
            }
        }
        return null;
    }

    private JsonNode view(String name) throws IOException, InterruptedException {
        return JSON.readTree(send("GET", "/api/v1/workloads/" + name + "/placement", null));
    }

    private String send(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(placementUrl + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(
                    method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    // ------------------------------------------------------------------ the bus

    /** Per cluster, when placement's bundle first carried the watched workload on its desired topic. */
    private static Thread watchBundles(Properties kafka, Map<String, Long> declared, AtomicReference<String> workload) {
        return Bench.consume(kafka, Topic.DESIRED_PLACEMENT.topicName(), record -> {
            // The workload's name quoted, as its label value is: one name never matches a longer one.
            if (record.value() != null
                    && record.key().startsWith("placement/")
                    && new String(record.value(), StandardCharsets.UTF_8).contains("\"" + workload.get() + "\"")) {
                declared.putIfAbsent(record.key(), System.nanoTime());
            }
        });
    }

    /**
     * Per cluster, when inventory first published the watched workload's Deployment available (as placement judges
     * it: its controller saw the current spec and every replica is available; generation 1 only, so the workload
     * generation annotation placement also reads is not checked): what separates the cluster and inventory's share of
     * create -> available from placement's.
     */
    private static Thread watchObserved(
            Properties kafka, Map<String, Long> observed, AtomicReference<String> workload) {
        return Bench.consume(kafka, Topic.RESOURCES.topicName(), record -> {
            String key = record.key();
            if (key == null || !key.contains("/apps/Deployment/") || !key.endsWith("/" + workload.get())) {
                return;
            }
            ObservedResource r = Bench.observed(record);
            if (r != null && r.name().equals(workload.get()) && available(r.object())) {
                observed.putIfAbsent(r.clusterId(), System.nanoTime());
            }
        });
    }

    private static boolean available(Map<String, Object> deployment) {
        if (deployment == null
                || !(deployment.get("metadata") instanceof Map<?, ?> metadata)
                || !(deployment.get("status") instanceof Map<?, ?> status)) {
            return false;
        }
        long desired = deployment.get("spec") instanceof Map<?, ?> spec ? number(spec.get("replicas"), 1) : 1;
        return number(status.get("observedGeneration"), 0) >= number(metadata.get("generation"), 0)
                && number(status.get("availableReplicas"), 0) >= desired;
    }

    private static long number(Object value, long otherwise) {
        return value instanceof Number n ? n.longValue() : otherwise;
    }

    /** Per cluster, when inventory first reported the watched workload's Deployment applied. */
    private static Thread watchReports(Properties kafka, Map<String, Long> applied, AtomicReference<String> workload) {
        return Bench.consume(kafka, Topic.SYNC.topicName(), record -> {
            SyncReport report = Bench.syncReport(record);
            if (report == null || !report.owner().equals("placement")) {
                return;
            }
            for (ObjectOutcome outcome : report.outcomes()) {
                if (outcome.kind().equals("Deployment")
                        && outcome.name().equals(workload.get())
                        && switch (outcome.outcome()) {
                            case Created, Patched, Unchanged -> true;
                            default -> false;
                        }) {
                    applied.putIfAbsent(report.clusterId(), System.nanoTime());
                }
            }
        });
    }
}
