package io.meridian.eventing;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.kafka.CloudEventHeaders;
import io.meridian.eventing.outbox.OutboxRelay;
import io.meridian.testsupport.Awaits;
import io.meridian.testsupport.CloudEventCollector;
import io.meridian.testsupport.CloudEventCollector.Received;
import io.meridian.testsupport.KafkaBroker;
import io.meridian.testsupport.PostgresDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relay against a real broker and a real database, including a relay stopped mid-batch. */
class OutboxRelayTest {

    private static final Duration FAST_IDLE = Duration.ofMillis(200);

    private final KafkaBroker broker = KafkaBroker.shared();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private DataSource db;
    private String topic;

    @BeforeEach
    void freshDatabaseAndTopic() {
        PostgresDatabase database = PostgresDatabase.freshDatabase("relay");
        db = database.dataSource();
        Flyway.configure()
                .dataSource(db)
                .locations("classpath:db/eventing")
                .load()
                .migrate();
        topic = "relay-test-" + UUID.randomUUID();
        broker.createTopic(topic, 3, false);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
    }

    @Test
    void publishesEveryRowInOrderAsCloudEventsAndEmptiesTheOutbox() throws Exception {
        for (int i = 0; i < 90; i++) {
            insert("cluster-" + (i % 3) + "/apps/Deployment/ns/app", i, false);
        }
        CloudEventCollector collector = collector();
        relay(id -> {});

        Awaits.eventually(() -> assertThat(collector.all()).hasSize(90));
        for (int c = 0; c < 3; c++) {
            String key = "cluster-" + c + "/apps/Deployment/ns/app";
            List<Integer> sequence = collector.all().stream()
                    .filter(r -> r.key().equals(key))
                    .map(OutboxRelayTest::sequenceOf)
                    .toList();
            assertThat(sequence).isSorted().hasSize(30);
        }
        Received first = collector.all().getFirst();
        assertThat(first.event()).isNotNull();
        assertThat(first.event().type()).isEqualTo("io.meridian.test.thing.happened.v1");
        assertThat(first.header(CloudEventHeaders.CONTENT_TYPE)).isEqualTo("application/json");
        Awaits.eventually(() -> assertThat(outboxRows()).isZero());
    }

    @Test
    void tombstoneRowsBecomeNullValuesThatStillCarryTheirCloudEventHeaders() throws Exception {
        insert("cluster-1/apps/Deployment/ns/gone", 0, true);
        CloudEventCollector collector = collector();
        relay(id -> {});

        Received tombstone = collector.awaitFirst(r -> true, Duration.ofSeconds(30));
        assertThat(tombstone.isTombstone()).isTrue();
        assertThat(tombstone.event()).isNotNull();
        assertThat(tombstone.event().isTombstone()).isTrue();
        assertThat(tombstone.header(CloudEventHeaders.SUBJECT)).isEqualTo("thing-0");
    }

    @Test
    void relayStoppedMidBatchLosesNothingAndKeepsOrderAfterRestart() throws Exception {
        String key = "cluster-1/apps/Deployment/ns/hot";
        for (int i = 0; i < 300; i++) {
            insert(key, i, false);
        }
        CloudEventCollector collector = collector();
        AtomicInteger sends = new AtomicInteger();
        OutboxRelay[] crashing = new OutboxRelay[1];
        crashing[0] = relay(id -> {
            if (sends.incrementAndGet() == 120) {
                crashing[0].stop(); // killed after 120 sends, before the batch is deleted
            }
        });
        Awaits.eventually(() -> assertThat(crashing[0].isRunning()).isFalse());
        // Batches of 50: two were acknowledged and deleted; the third was cut off after 20 sends and stays.
        assertThat(outboxRows())
                .as("rows of the interrupted batch and after it")
                .isEqualTo(200);

        relay(id -> {});

        Awaits.eventually(() -> assertThat(distinctIds(collector)).hasSize(300));
        List<Integer> firstDeliveries = new ArrayList<>(new LinkedHashSet<>(
                collector.all().stream().map(OutboxRelayTest::sequenceOf).toList()));
        assertThat(firstDeliveries)
                .as("first delivery of each event, in order")
                .isSorted()
                .hasSize(300);
        assertThat(collector.all())
                .as("the re-sent prefix is the only duplicate")
                .hasSize(320);
        Awaits.eventually(() -> assertThat(outboxRows()).isZero());
    }

    @Test
    void relaysOfDifferentServicesSharingADatabaseDoNotBlockEachOther() {
        assertThat(OutboxRelay.lockKeyOf("inventory"))
                .isNotEqualTo(OutboxRelay.lockKeyOf("identity"))
                .isEqualTo(OutboxRelay.lockKeyOf("inventory"));
        OutboxRelay inventory = relay(id -> {}, OutboxRelay.lockKeyOf("inventory"));
        OutboxRelay identity = relay(id -> {}, OutboxRelay.lockKeyOf("identity"));
        Awaits.eventually(() -> {
            assertThat(inventory.isLeader()).isTrue();
            assertThat(identity.isLeader()).isTrue();
        });
    }

    @Test
    void onlyOneRelayPublishesAtATimeAndAnotherTakesOverWhenItStops() throws Exception {
        OutboxRelay first = relay(id -> {});
        Awaits.eventually(() -> assertThat(first.isLeader()).isTrue());
        OutboxRelay second = relay(id -> {});
        // For several of its lock attempts, the second relay must not take the lock.
        org.awaitility.Awaitility.await()
                .during(FAST_IDLE.multipliedBy(3))
                .atMost(FAST_IDLE.multipliedBy(6))
                .until(() -> !second.isLeader());

        first.stop();
        Awaits.eventually(() -> assertThat(second.isLeader()).isTrue());
        CloudEventCollector collector = collector();
        insert("cluster-9/v1/Namespace//team-a", 0, false);
        collector.awaitFirst(r -> r.key().startsWith("cluster-9"), Duration.ofSeconds(30));
        assertThat(second.relayedCount()).isEqualTo(1);
    }

    @Test
    void aRowTooLargeForTheProducerIsDeadLetteredAndTheRowsAfterItGoOutInOrder() throws Exception {
        String key = "cluster-1/apps/Deployment/ns/big";
        // More rows than a batch (50), so the rows after the refused one's batch must go out too.
        for (int i = 0; i < 60; i++) {
            insert(key, i, i == 4 ? 20_000 : 0);
        }
        CloudEventCollector collector = collector();
        OutboxRelay relay =
                relay(id -> {}, OutboxRelay.LOCK_KEY, Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "8192"));

        assertRowFourDeadLetteredAndTheOthersPublishedInOrder(collector, relay, 20_000);
    }

    @Test
    void aRowTheBrokerRefusesAsTooLargeForTheTopicIsDeadLetteredAndTheRowsAfterItGoOutInOrder() throws Exception {
        // The producer would send it (its limit is 1 MiB); the topic's own limit is lower, as a topic created with a
        // small max.message.bytes (or a broker with a small message.max.bytes) has. Still above the producer's
        // batch.size (16 KiB), as every real limit is, so only the big record is refused.
        topic = "relay-test-small-" + UUID.randomUUID();
        broker.admin()
                .createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                        .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "65536"))))
                .all()
                .get(30, TimeUnit.SECONDS);
        String key = "cluster-1/apps/Deployment/ns/big";
        // More rows than a batch (50), so the rows after the refused one's batch must go out too.
        for (int i = 0; i < 60; i++) {
            insert(key, i, i == 4 ? 100_000 : 0);
        }
        CloudEventCollector collector = collector();
        OutboxRelay relay = relay(id -> {});

        assertRowFourDeadLetteredAndTheOthersPublishedInOrder(collector, relay, 100_000);
    }

    private void assertRowFourDeadLetteredAndTheOthersPublishedInOrder(
            CloudEventCollector collector, OutboxRelay relay, int padding) throws Exception {
        Awaits.eventually(() -> assertThat(distinctIds(collector)).hasSize(59));
        List<Integer> firstDeliveries = new ArrayList<>(new LinkedHashSet<>(
                collector.all().stream().map(OutboxRelayTest::sequenceOf).toList()));
        List<Integer> allButTheRefused = java.util.stream.IntStream.range(0, 60)
                .filter(i -> i != 4)
                .boxed()
                .toList();
        assertThat(firstDeliveries).as("first delivery of each event, in order").isEqualTo(allButTheRefused);
        Awaits.eventually(() -> assertThat(outboxRows()).isZero());
        assertThat(relay.deadLetteredCount()).isEqualTo(1);
        try (Connection c = db.getConnection();
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT ce_subject, record_key, record_bytes, reason, length(payload)"
                                + " FROM outbox_dead_letter")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("thing-4");
            assertThat(rs.getString(2)).isEqualTo("cluster-1/apps/Deployment/ns/big");
            assertThat(rs.getInt(3)).isGreaterThan(padding);
            assertThat(rs.getString(4)).contains("RecordTooLargeException");
            assertThat(rs.getInt(5))
                    .as("the payload is kept for a later re-send")
                    .isGreaterThan(padding);
            assertThat(rs.next()).isFalse();
        }
    }

    private OutboxRelay relay(OutboxRelay.SendObserver observer) {
        return relay(observer, OutboxRelay.LOCK_KEY);
    }

    private OutboxRelay relay(OutboxRelay.SendObserver observer, long lockKey) {
        return relay(observer, lockKey, Map.of());
    }

    private OutboxRelay relay(OutboxRelay.SendObserver observer, long lockKey, Map<String, String> producerSettings) {
        Properties props = new Properties();
        props.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"));
        props.putAll(producerSettings);
        KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        OutboxRelay relay = new OutboxRelay(
                db, producer, new OutboxRelay.Options(50, FAST_IDLE, Duration.ofMillis(100), lockKey), observer);
        closeables.add(producer);
        closeables.add(relay);
        return relay.start();
    }

    private CloudEventCollector collector() {
        CloudEventCollector collector = CloudEventCollector.collect(broker.bootstrapServers(), topic);
        closeables.add(collector);
        return collector;
    }

    private void insert(String key, int sequence, boolean tombstone) throws SQLException {
        insert(key, sequence, tombstone, 0);
    }

    /** A row whose payload is padded to more than {@code padding} bytes, as an oversized event would be. */
    private void insert(String key, int sequence, int padding) throws SQLException {
        insert(key, sequence, false, padding);
    }

    private void insert(String key, int sequence, boolean tombstone, int padding) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (topic, record_key, ce_id, ce_type,"
                        + " ce_source, ce_subject, ce_time, ce_dataschema, payload) VALUES (?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, topic);
            ps.setString(2, key);
            ps.setString(3, UUID.randomUUID().toString());
            ps.setString(4, "io.meridian.test.thing.happened.v1");
            ps.setString(5, "/meridian/test");
            ps.setString(6, "thing-" + sequence);
            ps.setObject(7, OffsetDateTime.now(ZoneOffset.UTC));
            ps.setString(8, "https://schemas.meridian.io/thing.v1.json");
            String payload = "{\"sequence\":" + sequence + ",\"padding\":\"" + "x".repeat(padding) + "\"}";
            ps.setBytes(9, tombstone ? null : payload.getBytes(StandardCharsets.UTF_8));
            ps.executeUpdate();
        }
    }

    private int outboxRows() throws SQLException {
        try (Connection c = db.getConnection();
                ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM outbox")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static List<String> distinctIds(CloudEventCollector collector) {
        return collector.all().stream().map(r -> r.event().id()).distinct().toList();
    }

    private static int sequenceOf(Received r) {
        return Integer.parseInt(r.event().subject().substring("thing-".length()));
    }
}
