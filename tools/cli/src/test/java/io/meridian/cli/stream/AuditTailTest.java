package io.meridian.cli.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meridian.cli.CliRun;
import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.contracts.kafka.CloudEventHeaders;
import io.meridian.testsupport.KafkaBroker;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code audit tail} and {@code events tail} against a real broker, records written the way services write them. */
class AuditTailTest {

    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    static final Topic INVENTORY = Topic.auditFor("inventory").orElseThrow();
    static final Topic IDENTITY = Topic.auditFor("identity").orElseThrow();

    static KafkaBroker broker;
    static KafkaProducer<String, byte[]> producer;

    @TempDir
    Path home;

    @BeforeAll
    static void writeTheTrail() {
        broker = KafkaBroker.start();
        for (Topic topic : Topic.Family.AUDIT.topics()) {
            broker.createTopic(topic.topicName(), topic.partitions(), false);
        }
        broker.createTopic(Topic.ALERTS.topicName(), Topic.ALERTS.partitions(), false);
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
        // Written out of time order on purpose, over two topics and over partitions of one topic: the tail merges by
        // time. Within one partition records are in time order, as a service appends them.
        audit(IDENTITY, 0, "a0", "alice", "grant.create", "grant", "ops-admins", null, NOW.minus(3, ChronoUnit.HOURS));
        audit(
                IDENTITY,
                0,
                "a4",
                "alice",
                "grant.approve",
                "grant",
                "ops-admins",
                null,
                NOW.minus(20, ChronoUnit.MINUTES));
        audit(
                INVENTORY,
                0,
                "a3",
                "alice",
                "cluster.label",
                "cluster",
                "aws-1",
                "aws-1",
                NOW.minus(30, ChronoUnit.MINUTES));
        audit(IDENTITY, 1, "a1", "alice", "grant.create", "grant", "sre", null, NOW.minus(50, ChronoUnit.MINUTES));
        audit(
                INVENTORY,
                1,
                "a2",
                "bob",
                "cluster.register",
                "cluster",
                "aws-1",
                "aws-1",
                NOW.minus(40, ChronoUnit.MINUTES));
        // Not an audit record: skipped with a warning, the tail goes on.
        send(
                INVENTORY.topicName(),
                "junk",
                new ProducerRecord<>(
                        INVENTORY.topicName(),
                        2,
                        NOW.minus(35, ChronoUnit.MINUTES).toEpochMilli(),
                        "junk",
                        "not a cloud event".getBytes(StandardCharsets.UTF_8)));
    }

    @AfterAll
    static void stop() {
        producer.close();
        broker.close();
    }

    static void audit(
            Topic topic,
            Integer partition,
            String id,
            String actor,
            String action,
            String kind,
            String name,
            String cluster,
            Instant at) {
        AuditRecord record = new AuditRecord(
                id,
                new AuditRecord.Actor(AuditRecord.ActorType.user, actor),
                action,
                new AuditRecord.Target(kind, name, cluster),
                AuditRecord.Outcome.success,
                null,
                topic.producer().orElseThrow(),
                at,
                Map.of());
        CloudEvent event = CloudEvent.of(
                EventType.AUDIT_RECORD_APPENDED,
                URI.create("/meridian/" + record.service()),
                record.key(),
                at.atOffset(ZoneOffset.UTC),
                EventJson.write(record));
        ProducerRecord<String, byte[]> kafkaRecord =
                new ProducerRecord<>(topic.topicName(), partition, at.toEpochMilli(), record.key(), event.data());
        CloudEventHeaders.write(event, kafkaRecord.headers());
        send(topic.topicName(), id, kafkaRecord);
    }

    static void send(String topic, String what, ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not write " + what + " to " + topic, e);
        }
    }

    CliRun cli() {
        CliRun cli = new CliRun(home.resolve("config"), Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(cli.run(
                                "context",
                                "set",
                                "test",
                                "--keycloak",
                                "http://127.0.0.1:1",
                                "--kafka",
                                broker.bootstrapServers())
                        .exitCode())
                .isZero();
        return cli;
    }

    static List<String> ids(String jsonLines) {
        return jsonLines
                .lines()
                .map(line -> EventJson.read(line.getBytes(StandardCharsets.UTF_8), AuditRecord.class)
                        .id())
                .toList();
    }

    @Test
    void replaysFromADurationAgoInTimeOrderAcrossTheAuditTopics() {
        CliRun.Result tail = cli().run("--context", "test", "audit", "tail", "--from", "1h", "-o", "json");

        assertThat(tail.exitCode()).as(tail.err()).isZero();
        assertThat(ids(tail.out())).containsExactly("a1", "a2", "a3", "a4");
        assertThat(tail.err()).contains("warning: skipped " + INVENTORY.topicName());
    }

    @Test
    void filtersByActorClusterAndActionFromAPointInTime() {
        CliRun cli = cli();
        String from = NOW.minus(45, ChronoUnit.MINUTES).toString();

        CliRun.Result byActor =
                cli.run("--context", "test", "audit", "tail", "--from", from, "--actor", "alice", "-o", "json");
        CliRun.Result byCluster =
                cli.run("--context", "test", "audit", "tail", "--from", "beginning", "--cluster", "aws-1");
        CliRun.Result byAction = cli.run(
                "--context", "test", "audit", "tail", "--from", "beginning", "--action", "grant.*", "-o", "json");

        assertThat(ids(byActor.out())).containsExactly("a3", "a4");
        assertThat(byCluster.exitCode()).as(byCluster.err()).isZero();
        List<String> rows = byCluster.out().lines().toList();
        assertThat(rows.get(0)).startsWith("TIME").contains("ACTOR").contains("OUTCOME");
        assertThat(rows).hasSize(3);
        assertThat(rows.get(1))
                .contains("bob")
                .contains("cluster.register")
                .contains("cluster/aws-1")
                .contains("success");
        assertThat(rows.get(2)).contains("alice").contains("cluster.label");
        assertThat(ids(byAction.out())).containsExactly("a0", "a1", "a4");
    }

    @Test
    void oneServicesTopicAndAnUnknownService() {
        CliRun cli = cli();

        CliRun.Result identity = cli.run(
                "--context", "test", "audit", "tail", "--from", "beginning", "--service", "identity", "-o", "json");
        CliRun.Result unknown = cli.run("--context", "test", "audit", "tail", "--service", "billing");

        assertThat(ids(identity.out())).containsExactly("a0", "a1", "a4");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err())
                .contains("no audit topic for service 'billing'")
                .contains("inventory");
    }

    @Test
    void followPrintsWhatArrivesAfterTheStart() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        TopicTail tail = new TopicTail(
                Map.of("bootstrap.servers", broker.bootstrapServers()),
                Topic.Family.AUDIT.topics().stream().map(Topic::topicName).toList(),
                new StartPoint.End(),
                true);
        Thread reader = new Thread(() -> tail.run(r -> seen.add(r.key()), stop::get));
        reader.start();
        try {
            // Written until the tail, which starts at the end, has seen one: it may join after the first writes.
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        audit(
                                Topic.auditFor("policy").orElseThrow(),
                                null,
                                "live",
                                "carol",
                                "policy.apply",
                                "policy",
                                "no-latest",
                                null,
                                Instant.now());
                        return seen.contains("policy/no-latest");
                    });
        } finally {
            stop.set(true);
            reader.join(10_000);
        }
        assertThat(reader.isAlive()).isFalse();
    }

    @Test
    void eventsTailReadsACatalogTopicAndNamesTheCatalogForAnUnknownOne() {
        CliRun cli = cli();
        CloudEvent event = CloudEvent.of(
                EventType.AUDIT_RECORD_APPENDED,
                URI.create("/meridian/observability"),
                "fp-1",
                NOW.atOffset(ZoneOffset.UTC),
                "{\"fingerprint\":\"fp-1\"}".getBytes(StandardCharsets.UTF_8));
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topic.ALERTS.topicName(), "fp-1", event.data());
        CloudEventHeaders.write(event, record.headers());
        send(Topic.ALERTS.topicName(), "fp-1", record);
        send(
                Topic.ALERTS.topicName(),
                "fp-2",
                new ProducerRecord<>(Topic.ALERTS.topicName(), "fp-2", "{}".getBytes(StandardCharsets.UTF_8)));

        CliRun.Result json = cli.run(
                "--context",
                "test",
                "events",
                "tail",
                Topic.ALERTS.topicName(),
                "--from",
                "beginning",
                "--key",
                "fp-1",
                "-o",
                "json");
        CliRun.Result unknown = cli.run("--context", "test", "events", "tail", "fleet.nothing.v1");

        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(json.out().lines().toList())
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .contains("\"key\":\"fp-1\"")
                        .contains("\"type\":\"" + EventType.AUDIT_RECORD_APPENDED.type() + "\"")
                        .contains("\"data\":{\"fingerprint\":\"fp-1\"}"));
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err())
                .contains("unknown topic 'fleet.nothing.v1'")
                .contains(Topic.CLUSTERS.topicName())
                .contains(INVENTORY.topicName());
    }

    @Test
    void fromAcceptsTimesDurationsOffsetsAndNamesWhatItDoesNot() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

        assertThat(StartPoint.parse("90m", clock)).isEqualTo(new StartPoint.AtTime(NOW.minus(90, ChronoUnit.MINUTES)));
        assertThat(StartPoint.parse("PT2H", clock)).isEqualTo(new StartPoint.AtTime(NOW.minus(2, ChronoUnit.HOURS)));
        assertThat(StartPoint.parse("2d", clock)).isEqualTo(new StartPoint.AtTime(NOW.minus(2, ChronoUnit.DAYS)));
        assertThat(StartPoint.parse("2026-12-06T03:00:00+01:00", clock))
                .isEqualTo(new StartPoint.AtTime(Instant.parse("2026-12-06T02:00:00Z")));
        assertThat(StartPoint.parse("42", clock)).isEqualTo(new StartPoint.AtOffset(42));
        assertThat(StartPoint.parse("beginning", clock)).isEqualTo(new StartPoint.Beginning());
        assertThat(cli().run("--context", "test", "audit", "tail", "--from", "yesterday")
                        .err())
                .contains("--from 'yesterday' is none of");
    }
}
