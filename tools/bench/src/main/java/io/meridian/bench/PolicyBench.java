package io.meridian.bench;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.cluster.Cloud;
import io.meridian.contracts.cluster.ClusterPhase;
import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.compliance.ComplianceResult;
import io.meridian.contracts.kafka.CloudEventHeaders;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.stack.ServiceProcess;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code bench policy [--clusters 100] [--objects 1000] [--probes 300]}: the packaged policy service against an
 * isolated stack, fed observed pods straight on {@code fleet.resources.v1} (as inventory would publish them). It
 * measures the time from an object's publication to its violation event (p50/p99), and the full re-audit of the
 * fleet after a policy change, until the last resulting violation event.
 */
final class PolicyBench {

    private static final String RULE = "object.spec.containers.all(c, !has(c.securityContext)"
            + " || !has(c.securityContext.privileged) || !c.securityContext.privileged)";

    private final Path repo;
    private final int clusters;
    private final int objects;
    private final int probes;
    private final Map<String, Long> openedAt = new ConcurrentHashMap<>();
    private final AtomicInteger opened = new AtomicInteger();
    private volatile boolean listening = true;

    PolicyBench(Path repo, int clusters, int objects, int probes) {
        this.repo = repo;
        this.clusters = clusters;
        this.objects = objects;
        this.probes = probes;
    }

    void run(boolean keepStack) throws Exception {
        BenchStack stack = new BenchStack(repo);
        stack.freshUp();
        try (ServiceProcess policy = stack.start("policy", 18083, Map.of());
                KafkaProducer<String, byte[]> producer = producer(stack.kafka())) {
            Api api = new Api(policy.baseUrl(), Api.token(stack.keycloak(), "admin"));
            Thread listener = listen(stack.kafka());
            Table table = new Table("policy: " + clusters + " clusters x " + objects + " pods (" + (clusters * objects)
                    + " objects), 2 cores");

            for (int c = 0; c < clusters; c++) {
                send(producer, EventType.CLUSTER_REGISTERED, "bench-" + c, cluster("bench-" + c));
            }
            api.post("/api/v1/policies", policy("bench-privileged", "bench"));
            long loadStart = System.nanoTime();
            int privileged = 0;
            for (int c = 0; c < clusters; c++) {
                for (int i = 0; i < objects; i++) {
                    boolean bad = i % 50 == 0;
                    privileged += bad ? 1 : 0;
                    ObservedResource pod = pod("bench-" + c, "team-" + (i % 20), "pod-" + i, bad);
                    send(producer, EventType.RESOURCE_OBSERVED, pod.key(), pod);
                }
            }
            producer.flush();
            awaitOpened(privileged, Duration.ofMinutes(10));
            double load = seconds(loadStart);
            table.row(
                    "initial audit of the fleet",
                    String.format(
                            "%.1f s (%.0f objects/s, %d violations)", load, clusters * objects / load, privileged));

            // Object appears -> violation event, one at a time on a quiet service.
            Stats latency = new Stats();
            for (int p = 0; p < probes; p++) {
                ObservedResource pod = pod("bench-" + (p % clusters), "probes", "probe-" + p, true);
                long sent = System.nanoTime();
                send(producer, EventType.RESOURCE_OBSERVED, pod.key(), pod);
                producer.flush();
                String key = pod.clusterId() + "/probe-" + p;
                while (!openedAt.containsKey(key) && seconds(sent) < 30) {
                    Thread.onSpinWait();
                }
                Long at = openedAt.get(key);
                latency.add(at == null ? 30_000 : (at - sent) / 1e6);
            }
            table.latency("object appears -> violation event (" + probes + " pods)", latency);

            // A policy change: a second policy re-audits every object; done when its last violation is out.
            int before = opened.get();
            long change = System.nanoTime();
            api.post("/api/v1/policies", policy("bench-privileged-2", "bench"));
            awaitOpened(before + privileged + probes, Duration.ofMinutes(10));
            table.row(
                    "re-audit of " + (clusters * objects + probes) + " objects after a policy change",
                    String.format(
                            "%.2f s until the last of %d violation events", seconds(change), privileged + probes));
            table.row("policy RSS", policy.rssMiB() + " MiB");
            table.print();
            listening = false;
            listener.join(5_000);
        } finally {
            if (!keepStack) {
                stack.down();
            }
        }
    }

    private void awaitOpened(int count, Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        while (opened.get() < count && seconds(start) < limit.toSeconds()) {
            Thread.sleep(20);
        }
        if (opened.get() < count) {
            throw new IllegalStateException("only " + opened.get() + " of " + count + " violations within " + limit);
        }
    }

    private Thread listen(Properties kafka) {
        Properties props = new Properties();
        props.putAll(kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-policy-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topic.COMPLIANCE.topicName()));
        return Thread.ofPlatform().daemon().name("bench-compliance").start(() -> {
            try (consumer) {
                while (listening) {
                    for (var r : consumer.poll(Duration.ofMillis(50))) {
                        var type = r.headers().lastHeader(CloudEventHeaders.TYPE);
                        if (r.value() == null
                                || type == null
                                || !EventType.VIOLATION_OPENED
                                        .type()
                                        .equals(new String(type.value(), StandardCharsets.UTF_8))) {
                            continue;
                        }
                        ComplianceResult result = EventJson.read(r.value(), ComplianceResult.class);
                        openedAt.putIfAbsent(
                                result.clusterId() + "/" + result.object().name(), System.nanoTime());
                        opened.incrementAndGet();
                    }
                }
            }
        });
    }

    private static KafkaProducer<String, byte[]> producer(Properties kafka) {
        Properties props = new Properties();
        props.putAll(kafka);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, io.meridian.contracts.kafka.ClusterKeyPartitioner.class);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, EventType type, String key, Object data) {
        CloudEvent event =
                CloudEvent.of(type, URI.create("/meridian/bench"), key, OffsetDateTime.now(), EventJson.write(data));
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(type.topic().topicName(), key, event.data());
        CloudEventHeaders.write(event, record.headers());
        producer.send(record);
    }

    private static Map<String, Object> policy(String name, String scope) {
        return Map.of(
                "name",
                name,
                "severity",
                "high",
                "action",
                "audit",
                "categories",
                List.of("security"),
                "fleetScope",
                Map.of("clusterSelector", Map.of("matchLabels", Map.of("bench", scope))),
                "spec",
                Map.of(
                        "matchConstraints",
                                Map.of(
                                        "resourceRules",
                                        List.of(Map.of(
                                                "apiGroups", List.of(""),
                                                "apiVersions", List.of("v1"),
                                                "resources", List.of("pods"),
                                                "operations", List.of("CREATE", "UPDATE")))),
                        "validations", List.of(Map.of("expression", RULE, "message", "privileged"))));
    }

    private static ClusterSnapshot cluster(String id) {
        return new ClusterSnapshot(
                id,
                id,
                null,
                Cloud.AWS,
                "eu-west-1",
                "prod",
                Map.of("bench", "bench"),
                "https://" + id + ".example",
                null,
                ClusterPhase.Ready,
                List.of(),
                "v1.31.0",
                3,
                6000,
                24L << 30,
                null,
                null,
                List.of(),
                1,
                Instant.now());
    }

    private static ObservedResource pod(String cluster, String namespace, String name, boolean privileged) {
        Map<String, Object> manifest = Map.of(
                "apiVersion",
                "v1",
                "kind",
                "Pod",
                "metadata",
                Map.of("name", name, "namespace", namespace, "labels", Map.of("app", name)),
                "spec",
                Map.of(
                        "containers",
                        List.of(Map.of(
                                "name",
                                "main",
                                "image",
                                "registry.meridian.io/" + name + ":1.0",
                                "securityContext",
                                Map.of("privileged", privileged)))));
        return new ObservedResource(
                cluster,
                "",
                "v1",
                "Pod",
                namespace,
                name,
                UUID.randomUUID().toString(),
                "1",
                Map.of("app", name),
                Map.of(),
                null,
                null,
                List.of(),
                null,
                null,
                null,
                Instant.now(),
                0,
                manifest);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
