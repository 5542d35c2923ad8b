package io.meridian.bench;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.desired.DesiredBundle;
import io.meridian.contracts.desired.DriftPolicy;
import io.meridian.contracts.kafka.CloudEventHeaders;
import io.meridian.contracts.kafka.ClusterKeyPartitioner;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.resource.ResyncMarker;
import io.meridian.contracts.sync.SyncReport;
import io.meridian.fleetsim.Fleet;
import io.meridian.fleetsim.FleetOptions;
import io.meridian.fleetsim.SimulatedCluster;
import io.meridian.stack.ServiceProcess;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * {@code bench inventory [--clusters 100] [--objects 1000] [--rounds 10] [--warmup 1] [--warmup-seconds 30] [--drifts 30]
 * [--drift-warmup 5] [--churn-seconds 60]
 * [--churn-period 5] [--keep-stack]}: an isolated stack, the simulated fleet in this JVM, the packaged inventory as its
 * own process; it measures registration to all-Ready and all-published, fleet search latency, bundle fan-out, the API
 * writes per changed object, drift repair, false drift reports while the clusters' controllers rewrite workload status,
 * and inventory RSS, then a raw-Kafka baseline on the same broker for comparison.
 */
public final class Bench {

    private final Map<String, String> options;
    private final Path repo;

    private Bench(Map<String, String> options) {
        this.options = options;
        this.repo = Path.of(System.getProperty("meridian.repo", "."))
                .toAbsolutePath()
                .normalize();
    }

    private static final List<String> COMMANDS = List.of(
            "inventory", "identity", "policy", "observability", "notifications", "placement", "simulator", "idle");
    private static final String USAGE =
            "usage: bench inventory [--clusters N] [--objects M] [--rounds R] [--warmup W] [--warmup-seconds S] [--drifts D]"
                    + " [--drift-warmup W] [--churn-seconds S]"
                    + " [--churn-period P] [--restart 0|1] [--restart-settle S] [--keep-stack]\n"
                    + "       bench identity [--clusters N] [--objects M] [--rounds R] [--warmup W] [--warmup-seconds S] [--keep-stack]\n"
                    + "       bench policy [--clusters N] [--objects M] [--probes P] [--keep-stack]\n"
                    + "       bench observability [--clusters N] [--objects M] [--seconds S] [--rules R] [--keep-stack]\n"
                    + "       bench notifications [--clusters N] [--receivers R] [--rounds K] [--down D] [--warmup W] [--keep-stack]\n"
                    + "       bench placement [--clusters N] [--objects M] [--workloads W] [--warmup U] [--rollouts R]"
                    + " [--failover-workloads F] [--failover-after S] [--controller-delay-ms D] [--keep-stack]\n"
                    + "       bench simulator [--clusters N] [--objects M] [--workloads W] [--warmup U] [--replicas R]"
                    + " [--controller-delay-ms D] [--watch true|false]\n"
                    + "       bench idle [--clusters N] [--objects M] [--seconds S] [--settle S] [--keep-stack]";

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !COMMANDS.contains(args[0])) {
            System.err.println(USAGE);
            System.exit(2);
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String key = args[i].replaceFirst("^--", "");
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            options.put(key, flag ? "true" : args[++i]);
        }
        Bench bench = new Bench(options);
        switch (args[0]) {
            case "observability" -> new ObservabilityBench(bench.repo, options).run();
            case "notifications" -> new NotificationBench(bench.repo, options).run();
            case "identity" -> new IdentityBench(options, bench.repo).run();
            case "placement" -> new PlacementBench(options, bench.repo).run();
            case "simulator" -> new SimulatorBench(options, bench.repo).run();
            case "idle" -> new IdleBench(options, bench.repo).run();
            case "policy" ->
                new PolicyBench(
                                bench.repo,
                                Options.number(options, "clusters", 100),
                                Options.number(options, "objects", 1000),
                                Options.number(options, "probes", 300))
                        .run(options.containsKey("keep-stack"));
            default -> bench.inventory();
        }
    }

    private void inventory() throws Exception {
        int clusters = Options.number(options, "clusters", 100);
        int objects = Options.number(options, "objects", 1000);
        BenchStack stack = new BenchStack(repo);
        stack.freshUp();
        try (Fleet fleet = stack.fleet(
                        FleetOptions.defaults().withClusters(clusters).withObjectsPerCluster(objects));
                ServiceProcess inventory = stack.start("inventory", BenchStack.PORTS.get("inventory"), benchOwners())) {
            Api api = new Api(inventory.baseUrl(), Api.token(stack.keycloak(), "admin"));
            int totalObjects = fleet.clusters().stream()
                    .mapToInt(SimulatedCluster::objectCount)
                    .sum();
            Table registration = new Table("inventory: " + clusters + " clusters x ~" + objects + " objects ("
                    + totalObjects + " objects), 2 cores");

            Set<String> resynced = ConcurrentHashMap.newKeySet();
            Thread markers = watchResyncMarkers(stack.kafka(), resynced);
            long start = System.nanoTime();
            // CPU of inventory and of this JVM (the simulated API servers and the bench's own clients), read at the
            // start and when every cluster's objects are published: the figure is Meridian's, the simulator's apart.
            double inventoryCpuStart = CpuTime.ofProcess(inventory.pid());
            double simulatorCpuStart = CpuTime.ofThisJvm();
            double inventoryCpuIngest = Double.NaN;
            double simulatorCpuIngest = Double.NaN;
            try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                List<Future<Integer>> posts = new ArrayList<>();
                for (Map<String, Object> body : fleet.registrations()) {
                    posts.add(pool.submit(() -> api.post("/api/v1/clusters", body)));
                }
                for (Future<Integer> post : posts) {
                    post.get();
                }
            }
            double registered = seconds(start);
            double ready = -1;
            double published = -1;
            while (seconds(start) < 600 && (ready < 0 || published < 0)) {
                if (ready < 0
                        && api.get("/api/v1/clusters?phase=Ready&limit=1")
                                        .path("total")
                                        .asInt()
                                == clusters) {
                    ready = seconds(start);
                    System.out.printf("all %d clusters Ready after %.1f s%n", clusters, ready);
                }
                if (published < 0 && resynced.size() >= clusters) {
                    published = seconds(start);
                    inventoryCpuIngest = CpuTime.ofProcess(inventory.pid()) - inventoryCpuStart;
                    simulatorCpuIngest = CpuTime.ofThisJvm() - simulatorCpuStart;
                    System.out.printf("every cluster's objects published after %.1f s%n", published);
                }
                Thread.sleep(200);
            }
            markers.interrupt();
            registration
                    .row("registration requests done", String.format("%.1f s", registered))
                    .row("all clusters Ready", ready < 0 ? "not within 600 s" : String.format("%.1f s", ready))
                    .row(
                            "all objects published",
                            published < 0
                                    ? "not within 600 s"
                                    : String.format("%.1f s (%.0f objects/s)", published, totalObjects / published))
                    .row(
                            "  CPU until published: inventory",
                            String.format(
                                    "%.0f CPU-s (%.2f ms per object)",
                                    inventoryCpuIngest, 1000 * inventoryCpuIngest / totalObjects))
                    .row(
                            "  CPU until published: simulator and bench (this JVM)",
                            String.format("%.0f CPU-s", simulatorCpuIngest));

            // Search: wait for the index to hold the fleet (inventory watches most of the simulator's kinds, not
            // all, so until the count stops growing), then a mix of real questions.
            long indexStart = System.nanoTime();
            int indexed = -1;
            long stableSince = System.nanoTime();
            while (seconds(indexStart) < 300 && seconds(stableSince) < 3) {
                int now = api.get("/api/v1/resources?limit=1").path("total").asInt();
                if (now != indexed) {
                    indexed = now;
                    stableSince = System.nanoTime();
                }
                Thread.sleep(250);
            }
            registration.row(
                    "search index holds",
                    api.get("/api/v1/resources?limit=1").path("total").asInt() + " objects");
            Stats search = new Stats();
            Random random = new Random(42);
            List<String> names =
                    fleet.clusters().stream().map(SimulatedCluster::name).toList();
            String[] queries = {
                "kind=Deployment&image=" + enc("*nginx*"),
                "kind=Pod&image=" + enc("*:latest"),
                "labelSelector=" + enc("app"),
                "kind=Pod&namespace=payments",
                "cloud=gcp&kind=Service",
                "q=api"
            };
            for (int i = 0; i < 300; i++) {
                String query = i % 4 == 0
                        ? "cluster=" + names.get(random.nextInt(names.size())) + "&kind=Pod"
                        : queries[random.nextInt(queries.length)];
                long t = System.nanoTime();
                api.get("/api/v1/resources?limit=100&" + query);
                search.add(millis(t));
            }
            registration.latency("fleet search (300 mixed queries)", search);
            registration.row("inventory RSS after registration", inventory.rssMiB() + " MiB");
            LiveHeap.Histogram heap = LiveHeap.of(inventory.pid(), 15);
            registration.row("inventory live heap after GC", LiveHeap.mib(heap.totalBytes()));
            registration.print();
            // What holds the heap, for the goal of 1 GiB at 100k objects: the classes with the most bytes (shallow).
            Table holders = new Table("inventory live heap by class (top 15, shallow bytes)");
            for (LiveHeap.ClassShare share : heap.top()) {
                holders.row(
                        share.className(),
                        "%s in %,d objects (%.1f %%)"
                                .formatted(
                                        LiveHeap.mib(share.bytes()),
                                        share.instances(),
                                        100.0 * share.bytes() / heap.totalBytes()));
            }
            holders.print();

            bundles(stack, fleet, inventory);
            ServiceProcess restarted =
                    Options.number(options, "restart", 1) > 0 ? restart(stack, fleet, inventory, api) : null;
            try (AutoCloseable ignored = restarted == null ? () -> {} : restarted) {
                double produced = new KafkaBaseline(stack.kafka(), totalObjects).run();
                if (published > 0) {
                    new Table("ingest against raw Kafka")
                            .row(
                                    "observed objects/s / raw produce records/s (goal >= 25 %)",
                                    String.format("%.1f %%", 100 * (totalObjects / published) / produced))
                            .print();
                }
            }
        } finally {
            if (!options.containsKey("keep-stack")) {
                stack.down();
            }
        }
    }

    /**
     * Restart cost: inventory killed with SIGKILL once the fleet is in and the bench's bundles are applied, then
     * started again on its ports as a supervisor would. Until it answers, until every cluster's objects are relisted
     * (each cluster's resync-completed marker after the kill) and until every cluster is Ready again; then the writes
     * the clusters answered from the kill until {@code --restart-settle} (20) seconds after that (goal 0: a restart
     * re-applies nothing that is in place).
     *
     * @return the restarted inventory, for the caller to stop
     */
    private ServiceProcess restart(BenchStack stack, Fleet fleet, ServiceProcess inventory, Api api) throws Exception {
        List<SimulatedCluster> clusters = fleet.clusters();
        int settle = Options.number(options, "restart-settle", 20);
        Set<String> resynced = ConcurrentHashMap.newKeySet();
        Thread markers = watchResyncMarkers(stack.kafka(), resynced);
        long writesBefore = writeRequests(clusters);
        long start = System.nanoTime();
        inventory.kill();
        ServiceProcess again = inventory.restarted();
        double answering = -1;
        double relisted = -1;
        double ready = -1;
        while (seconds(start) < 300 && ready < 0) {
            if (answering < 0 && again.isReady()) {
                answering = seconds(start);
            }
            if (relisted < 0 && resynced.size() >= clusters.size()) {
                relisted = seconds(start);
            }
            // Every cluster reported Connecting when its new connection began, before its marker: Ready from here on
            // is the restarted inventory's own.
            if (relisted >= 0
                    && api.get("/api/v1/clusters?phase=Ready&limit=1")
                                    .path("total")
                                    .asInt()
                            == clusters.size()) {
                ready = seconds(start);
            }
            Thread.sleep(200);
        }
        markers.interrupt();
        Thread.sleep(settle * 1000L);
        long writes = writeRequests(clusters) - writesBefore;
        new Table("restart: inventory killed (SIGKILL) with " + clusters.size() + " clusters, started again")
                .row("answering again", answering < 0 ? "not within 300 s" : String.format("%.1f s", answering))
                .row(
                        "every cluster relisted (its marker)",
                        relisted < 0 ? "not within 300 s" : String.format("%.1f s", relisted))
                .row(
                        "every cluster Ready again (goal <= 15 s)",
                        ready < 0 ? "not within 300 s" : String.format("%.1f s", ready))
                .row("writes to clusters, kill + " + settle + " s after Ready (goal 0)", String.valueOf(writes))
                .print();
        return again;
    }

    private void bundles(BenchStack stack, Fleet fleet, ServiceProcess inventory) throws Exception {
        int rounds = Options.number(options, "rounds", 10);
        int drifts = Options.number(options, "drifts", 30);
        List<SimulatedCluster> clusters = fleet.clusters();
        Table table = new Table("bundles: one change fanned out to " + clusters.size() + " clusters, " + rounds
                + " rounds; drift repair " + drifts + " times");
        Properties props = stack.kafka();
        props.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, ClusterKeyPartitioner.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        int warmup = Options.number(options, "warmup", 1);
        int warmupSeconds = Options.number(options, "warmup-seconds", 30);
        Stats warmupRounds = new Stats();
        double coldStart = Double.NaN;
        Stats perCluster = new Stats();
        Stats perClusterLater = new Stats();
        Stats perRound = new Stats();
        Stats waited = new Stats();
        Stats applying = new Stats();
        Stats reporting = new Stats();
        double changedObjectWrites;
        Map<String, Applied> appliedAt = new ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicLong currentRound = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicReference<String> owner =
                new java.util.concurrent.atomic.AtomicReference<>(WARMUP_OWNER);
        Thread reports = watchSyncReports(stack.kafka(), appliedAt, owner, currentRound);
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            // An owner service's producer is connected, knows the topic and has its producer id; the first round
            // should not time ours getting there. A tombstone for a cluster that does not exist changes nothing.
            producer.partitionsFor(desiredTopic(BENCH_OWNER));
            producer.partitionsFor(desiredTopic(WARMUP_OWNER));
            producer.send(new ProducerRecord<>(desiredTopic(WARMUP_OWNER), WARMUP_OWNER + "/no-such-cluster", null))
                    .get();
            // Warm-up rounds (another owner, other objects) run the code once before anything is timed, as JMH
            // does; without them the first timed rounds measure the JIT compiler more than inventory.
            long writesBefore = 0;
            long warmupStarted = System.nanoTime();
            int warmedUp = 0;
            int round = 0;
            while (true) {
                // Warm-up ends after --warmup rounds AND --warmup-seconds of them, whichever comes last (JMH warms up
                // by time too): the JIT of inventory, the simulator and the broker settles over many rounds.
                boolean timed = warmedUp >= warmup && seconds(warmupStarted) >= warmupSeconds;
                if (timed) {
                    round++;
                } else {
                    warmedUp++;
                }
                if (round > rounds) {
                    break;
                }
                long generation = timed ? round : warmedUp;
                if (round == 2) {
                    writesBefore = writeRequests(clusters); // round 1 also creates the Deployment
                }
                owner.set(timed ? BENCH_OWNER : WARMUP_OWNER);
                appliedAt.clear();
                currentRound.set(generation);
                long sent = System.nanoTime();
                long sentAt = System.currentTimeMillis();
                for (SimulatedCluster cluster : clusters) {
                    DesiredBundle bundle = new DesiredBundle(
                            owner.get(),
                            cluster.name(),
                            generation,
                            DriftPolicy.REPAIR,
                            false,
                            bundleObjects(owner.get(), generation),
                            Instant.now());
                    CloudEvent event = CloudEvent.of(
                            EventType.DESIRED_BUNDLE_DECLARED,
                            URI.create(BENCH_SOURCE),
                            cluster.name(),
                            OffsetDateTime.now(),
                            EventJson.write(bundle));
                    ProducerRecord<String, byte[]> record =
                            new ProducerRecord<>(desiredTopic(owner.get()), bundle.key(), event.data());
                    CloudEventHeaders.write(event, record.headers());
                    producer.send(record);
                }
                producer.flush();
                double acked = millis(sent);
                while (appliedAt.size() < clusters.size() && seconds(sent) < 120) {
                    Thread.sleep(5);
                }
                if (timed) {
                    for (Applied applied : appliedAt.values()) {
                        perCluster.add((applied.readNanos() - sent) / 1e6);
                        if (round > 1) {
                            perClusterLater.add((applied.readNanos() - sent) / 1e6);
                        }
                        long done = applied.report().reportedAt().toEpochMilli();
                        long started = done - applied.report().durationMillis();
                        waited.add(started - sentAt);
                        applying.add(applied.report().durationMillis());
                        reporting.add(applied.readAt() - done);
                    }
                    perRound.add(millis(sent));
                } else {
                    coldStart = warmedUp == 1 ? millis(sent) : coldStart;
                    warmupRounds.add(millis(sent));
                }
                System.out.printf(
                        "%s %d: %d/%d clusters applied generation %d of %s in %.0f ms (bundles acknowledged by Kafka"
                                + " after %.0f ms)%n",
                        timed ? "round" : "warm-up",
                        timed ? round : warmedUp,
                        appliedAt.size(),
                        clusters.size(),
                        generation,
                        owner.get(),
                        millis(sent),
                        acked);
            }
            // Each later round changes the three RoleBindings of every cluster and leaves its Deployment as it was.
            changedObjectWrites = rounds < 2
                    ? Double.NaN
                    : (writeRequests(clusters) - writesBefore) / (double) ((rounds - 1) * clusters.size() * 3);
        }
        reports.interrupt();
        table.row("first round after inventory started (cold, not timed)", String.format("%.0f ms", coldStart));
        table.latency("warm-up rounds (not timed)", warmupRounds);
        table.latency("publish -> applied, per cluster", perCluster);
        table.latency("the same, rounds 2.." + rounds, perClusterLater);
        table.latency("publish -> applied on all clusters", perRound);
        // Where a cluster's time goes, from the report's own times (one clock: everything runs on this machine).
        table.latency("  publish -> inventory starts applying", waited);
        table.latency("  applying (writes to the API server)", applying);
        table.latency("  applied -> report read from fleet.sync.v1", reporting);
        table.row(
                "API writes per changed object, rounds 2.." + rounds + " (goal 1)",
                String.format("%.2f", changedObjectWrites));

        // Warm-up repairs (of the warm-up owner's objects) first, as for the rounds: the first repair after a start
        // runs
        // code nothing ran before (the drift record, its event, the repair's write), as the first round does.
        int driftWarmup = Options.number(options, "drift-warmup", 5);
        Random random = new Random(7);
        Stats driftWarmups = new Stats();
        double coldDrift = Double.NaN;
        for (int i = 0; i < driftWarmup; i++) {
            double took = repairOf(clusters.get(random.nextInt(clusters.size())), WARMUP_OWNER + "-0");
            coldDrift = i == 0 ? took : coldDrift;
            driftWarmups.add(took);
        }
        Stats drift = new Stats();
        for (int i = 0; i < drifts; i++) {
            drift.add(repairOf(clusters.get(random.nextInt(clusters.size())), BENCH_OWNER + "-0"));
        }
        table.row("first out-of-band edit -> repaired (cold, not timed)", String.format("%.0f ms", coldDrift));
        table.latency("warm-up edits -> repaired (not timed)", driftWarmups);
        table.latency("out-of-band edit -> repaired", drift);
        statusChurn(stack, clusters, table);
        table.row("inventory RSS after bundles", inventory.rssMiB() + " MiB");
        table.print();
    }

    /** Changes a RoleBinding of {@code default} on a cluster by hand; the milliseconds until it is as it was. */
    private static double repairOf(SimulatedCluster cluster, String name) throws InterruptedException {
        var bindings = cluster.client().rbac().roleBindings().inNamespace("default");
        long t = System.nanoTime();
        bindings.withName(name).edit(rb -> {
            rb.getSubjects().getFirst().setName("mallory-" + UUID.randomUUID());
            return rb;
        });
        while (seconds(t) < 30) {
            var live = bindings.withName(name).get();
            if (live != null && live.getSubjects().getFirst().getName().startsWith("oidc:")) {
                break;
            }
            Thread.sleep(2);
        }
        return millis(t);
    }

    /**
     * The clusters' controllers rewrite the status of every Deployment and StatefulSet (the bench's own included)
     * every period; nothing Meridian set changes, so every drift report and every write is false.
     */
    private void statusChurn(BenchStack stack, List<SimulatedCluster> clusters, Table table) throws Exception {
        int seconds = Options.number(options, "churn-seconds", 60);
        Duration period = Duration.ofSeconds(Options.number(options, "churn-period", 5));
        if (seconds <= 0) {
            return;
        }
        java.util.concurrent.atomic.AtomicLong drifts = new java.util.concurrent.atomic.AtomicLong();
        Thread watcher = consume(stack.kafka(), Topic.SYNC.topicName(), record -> {
            CloudEvent event = read(record);
            if (event != null
                    && event.type().equals(EventType.SYNC_DRIFT_DETECTED.type())
                    && record.key().startsWith("bench/")) {
                drifts.incrementAndGet();
            }
        });
        long writes = writeRequests(clusters);
        Map<String, String> versions = new HashMap<>();
        clusters.forEach(c -> versions.put(c.name(), resourceVersion(c)));
        clusters.forEach(c -> c.statusChurn(period));
        Thread.sleep(seconds * 1000L);
        clusters.forEach(c -> c.statusChurn(Duration.ZERO));
        long rewritten = clusters.stream()
                .filter(c -> !resourceVersion(c).equals(versions.get(c.name())))
                .count();
        long falseWrites = writeRequests(clusters) - writes;
        watcher.interrupt();
        table.row(
                "status churn: " + seconds + " s, every workload's status rewritten every " + period.toSeconds() + " s",
                rewritten + " of " + clusters.size() + " bench Deployments rewritten");
        table.row("  false drift reports per hour (goal 0)", Long.toString(drifts.get() * 3600 / seconds));
        table.row("  API writes by inventory meanwhile (goal 0)", Long.toString(falseWrites));
    }

    /** The bench's Deployment's resourceVersion on a cluster ("" when it is not there). */
    private static String resourceVersion(SimulatedCluster cluster) {
        var deployment = cluster.client()
                .apps()
                .deployments()
                .inNamespace("default")
                .withName("bench-web")
                .get();
        return deployment == null ? "" : deployment.getMetadata().getResourceVersion();
    }

    /** The desired topic of an owner the bench plays. */
    private static String desiredTopic(String owner) {
        return Topic.desiredFor(owner).orElseThrow().topicName();
    }

    /** Writes the simulated API servers have answered so far (create, update, patch, apply, delete). */
    private static long writeRequests(List<SimulatedCluster> clusters) {
        return clusters.stream().mapToLong(SimulatedCluster::writeRequests).sum();
    }

    // Owners the inventory bench plays (their services are not started), each on its own desired topic.
    private static final String BENCH_OWNER = "identity";
    private static final String WARMUP_OWNER = "policy";
    private static final String BENCH_SOURCE = "/bench";
    private static final String BENCH_OWNER_KINDS = "rbac.authorization.k8s.io/*,apps/Deployment";

    /**
     * Three RoleBindings named after their owner, so two owners never claim the same object, that change every
     * generation; and, for the timed owner, a Deployment that never changes, whose status the cluster's controller
     * keeps rewriting.
     */
    private static List<Map<String, Object>> bundleObjects(String owner, long generation) {
        List<Map<String, Object>> objects = new ArrayList<>();
        if (!owner.equals(WARMUP_OWNER)) {
            objects.add(Map.of(
                    "apiVersion",
                    "apps/v1",
                    "kind",
                    "Deployment",
                    "metadata",
                    Map.of("name", "bench-web", "namespace", "default"),
                    "spec",
                    Map.of(
                            "selector", Map.of("matchLabels", Map.of("app", "bench-web")),
                            "template",
                                    Map.of(
                                            "metadata", Map.of("labels", Map.of("app", "bench-web")),
                                            "spec",
                                                    Map.of(
                                                            "containers",
                                                            List.of(Map.of(
                                                                    "name", "web",
                                                                    "image", "nginx:1.27",
                                                                    "resources",
                                                                            Map.of(
                                                                                    "requests",
                                                                                    Map.of("cpu", "0.1")))))))));
        }
        for (int i = 0; i < 3; i++) {
            objects.add(Map.of(
                    "apiVersion", "rbac.authorization.k8s.io/v1",
                    "kind", "RoleBinding",
                    "metadata", Map.of("name", owner + "-" + i, "namespace", "default"),
                    "roleRef", Map.of("apiGroup", "rbac.authorization.k8s.io", "kind", "ClusterRole", "name", "view"),
                    "subjects", List.of(Map.of("kind", "Group", "name", "oidc:team-" + i + "-g" + generation))));
        }
        return objects;
    }

    /**
     * Collects the clusters whose relist is complete: a completed marker that names no kind as not resynced (a kind
     * listed late gets a marker of its own later, and only the last one names nothing).
     */
    private static Thread watchResyncMarkers(Properties kafka, Set<String> resynced) {
        return consume(kafka, Topic.RESOURCES.topicName(), record -> {
            CloudEvent event = read(record);
            if (event != null && event.type().equals(EventType.RESOURCE_RESYNC_COMPLETED.type())) {
                ResyncMarker marker = EventJson.read(event.data(), ResyncMarker.class);
                if (marker.notResynced().isEmpty()) {
                    resynced.add(marker.clusterId());
                }
            }
        });
    }

    private static Thread watchSyncReports(
            Properties kafka,
            Map<String, Applied> appliedAt,
            java.util.concurrent.atomic.AtomicReference<String> owner,
            java.util.concurrent.atomic.AtomicLong currentRound) {
        return consume(kafka, Topic.SYNC.topicName(), record -> {
            SyncReport report = syncReport(record);
            if (report != null
                    && report.owner().equals(owner.get())
                    && report.generationApplied() == currentRound.get()) {
                appliedAt.putIfAbsent(
                        report.clusterId(), new Applied(System.nanoTime(), System.currentTimeMillis(), report));
            }
        });
    }

    /** The sync report a {@code fleet.sync.v1} record carries, or null for drift events and unreadable records. */
    static SyncReport syncReport(ConsumerRecord<String, byte[]> record) {
        CloudEvent event = read(record);
        if (event == null || !event.type().equals(EventType.SYNC_REPORTED.type())) {
            return null;
        }
        try {
            return EventJson.read(event.data(), SyncReport.class);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** An observed object on {@code fleet.resources.v1}, or null for a marker, a tombstone or what cannot be read. */
    static ObservedResource observed(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        CloudEvent event = read(record);
        if (event == null || !event.type().equals(EventType.RESOURCE_OBSERVED.type())) {
            return null;
        }
        try {
            return EventJson.read(event.data(), ObservedResource.class);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A sync report of the current round and when the bench read it. */
    private record Applied(long readNanos, long readAt, SyncReport report) {}

    private static CloudEvent read(ConsumerRecord<String, byte[]> record) {
        try {
            return CloudEventHeaders.read(record.headers(), record.value());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A consumer thread reading {@code topic} from now on; interrupt it to stop. */
    static Thread consume(
            Properties kafka, String topic, java.util.function.Consumer<ConsumerRecord<String, byte[]>> handler) {
        Properties props = new Properties();
        props.putAll(kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        consumer.poll(Duration.ofMillis(500)); // join the group before anything is measured
        return Thread.ofPlatform().daemon().start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    consumer.poll(Duration.ofMillis(20)).forEach(handler);
                }
            } catch (org.apache.kafka.common.errors.InterruptException
                    | org.apache.kafka.common.errors.WakeupException stopped) {
                // done
            } finally {
                Thread.interrupted(); // an interrupted close logs errors and leaves the group late
                consumer.close(Duration.ZERO);
            }
        });
    }

    /**
     * inventory's settings for this bench: it declares bundles itself, playing two owners whose services it does not
     * start. The owner comes from the topic (inventory reads no other), so it writes their desired topics, and
     * inventory must admit its source and kinds for them.
     */
    private static Map<String, String> benchOwners() {
        Map<String, String> config = new HashMap<>(BenchStack.required("inventory"));
        for (String owner : List.of(BENCH_OWNER, WARMUP_OWNER)) {
            config.put("meridian.inventory.bundles.owners." + owner + ".kinds", BENCH_OWNER_KINDS);
            config.put("meridian.inventory.bundles.owners." + owner + ".source", BENCH_SOURCE);
        }
        return config;
    }

    /** Registers the simulated fleet with inventory (eight requests at a time) and waits until every cluster is Ready. */
    static void registerAndAwaitReady(Fleet fleet, Api inventory, int clusters) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<Integer>> posts = new ArrayList<>();
            for (Map<String, Object> body : fleet.registrations()) {
                posts.add(pool.submit(() -> inventory.post("/api/v1/clusters", body)));
            }
            for (Future<Integer> post : posts) {
                post.get();
            }
        }
        long start = System.nanoTime();
        while (inventory
                        .get("/api/v1/clusters?phase=Ready&limit=1")
                        .path("total")
                        .asInt()
                < clusters) {
            if (seconds(start) > 600) {
                throw new IllegalStateException("not every cluster Ready within 600 s");
            }
            Thread.sleep(500);
        }
        System.out.printf("all %d clusters Ready after %.1f s%n", clusters, seconds(start));
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static double millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
