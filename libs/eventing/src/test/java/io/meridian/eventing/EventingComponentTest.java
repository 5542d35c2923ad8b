package io.meridian.eventing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.contracts.kafka.CloudEventHeaders;
import io.meridian.eventing.probe.ProbeConsumer;
import io.meridian.testsupport.Awaits;
import io.meridian.testsupport.CloudEventCollector;
import io.meridian.testsupport.CloudEventCollector.Received;
import io.meridian.testsupport.KafkaBroker;
import io.meridian.testsupport.KafkaTestResource;
import io.meridian.testsupport.PostgresTestResource;
import io.meridian.testsupport.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared eventing pieces inside a booted service, against the real broker and database. */
@QuarkusTest
@WithTestResource(
        value = KafkaTestResource.class,
        initArgs = @ResourceArg(name = "topics", value = "eventing.probe.v1"))
@WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "schema", value = "eventing_test"))
@WithTestResource(OidcWiremockTestResource.class)
class EventingComponentTest {

    private static final String PROBE_TOPIC = "eventing.probe.v1";
    private static CloudEventCollector audit;
    private static CloudEventCollector deadLetters;
    private static KafkaProducer<String, byte[]> producer;

    @Inject
    ProbeConsumer consumer;

    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    @BeforeAll
    static void collect() {
        String servers = KafkaBroker.shared().bootstrapServers();
        audit = CloudEventCollector.collect(servers, Topic.AUDIT_POLICY.topicName());
        deadLetters = CloudEventCollector.collect(servers, PROBE_TOPIC + Topic.DEAD_LETTER_SUFFIX);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void close() {
        audit.close();
        deadLetters.close();
        producer.close();
    }

    @Test
    void auditRecordOfACommittedChangeIsPublishedWithCallerAndCorrelationId() {
        String name = "committed-" + UUID.randomUUID();
        given().header("Authorization", Tokens.bearer("olga", Tokens.OPERATOR))
                .header("X-Correlation-Id", "corr-" + name)
                .post("/probe/audit/" + name)
                .then()
                .statusCode(200)
                .header("X-Correlation-Id", "corr-" + name);

        Received received =
                audit.awaitFirst(r -> name.equals(r.header(CloudEventHeaders.SUBJECT)), Duration.ofSeconds(30));
        assertThat(received.key()).isEqualTo("probe/" + name);
        assertThat(received.event().type()).isEqualTo(EventType.AUDIT_RECORD_APPENDED.type());
        assertThat(received.event().source()).isEqualTo(URI.create("/meridian/policy"));
        AuditRecord record = EventJson.read(received.value(), AuditRecord.class);
        assertThat(record.actor()).isEqualTo(new AuditRecord.Actor(AuditRecord.ActorType.user, "olga"));
        assertThat(record.correlationId()).isEqualTo("corr-" + name);
        assertThat(record.service()).isEqualTo("policy");
        // The service writes its own audit topic, the only one its Kafka principal may write.
        assertThat(received.topic()).isEqualTo("fleet.audit.policy.v1");
        assertThat(record.action()).isEqualTo("probe.touched");
    }

    @Test
    void eventsAppendedTogetherArePublishedEachWithItsOwnKeyAndData() {
        String name = "batch-" + UUID.randomUUID();
        given().header("Authorization", Tokens.bearer("olga", Tokens.OPERATOR))
                .post("/probe/audit-batch/" + name + "?count=1203")
                .then()
                .statusCode(200)
                .body(org.hamcrest.Matchers.equalTo("1203"));

        // 1,203 rows take more than one multi-row statement
        Awaits.eventually(
                Duration.ofSeconds(60),
                () -> assertThat(audit.all().stream().filter(r -> r.key().startsWith("probe/" + name + "-")))
                        .hasSize(1203));
        java.util.List<Received> received = audit.all().stream()
                .filter(r -> r.key().startsWith("probe/" + name + "-"))
                .toList();
        java.util.Set<String> indexes = new java.util.HashSet<>();
        for (Received r : received) {
            AuditRecord record = EventJson.read(r.value(), AuditRecord.class);
            String index = record.details().get("index");
            assertThat(r.key()).isEqualTo("probe/" + name + "-" + index);
            assertThat(r.header(CloudEventHeaders.SUBJECT)).isEqualTo(name + "-" + index);
            assertThat(record.action()).isEqualTo("probe.batched");
            indexes.add(index);
        }
        assertThat(indexes).hasSize(1203);
        assertThat(received.stream().map(r -> r.event().id()).distinct()).hasSize(1203);
    }

    @Test
    void eventOfARolledBackChangeIsNeverPublished() {
        String rolledBack = "rolled-back-" + UUID.randomUUID();
        String marker = "marker-" + UUID.randomUUID();
        given().header("Authorization", Tokens.bearer("olga", Tokens.OPERATOR))
                .post("/probe/audit/" + rolledBack + "?fail=true")
                .then()
                .statusCode(500);
        given().header("Authorization", Tokens.bearer("olga", Tokens.OPERATOR))
                .post("/probe/audit/" + marker)
                .then()
                .statusCode(200);

        // The relay publishes in commit order, so once the later marker is out the other would be too.
        audit.awaitFirst(r -> marker.equals(r.header(CloudEventHeaders.SUBJECT)), Duration.ofSeconds(30));
        assertThat(audit.all()).noneMatch(r -> rolledBack.equals(r.header(CloudEventHeaders.SUBJECT)));
    }

    @Test
    void aChangeWhoseEventIsTooLargeToPublishIsRefusedAsA413AndLeavesNothingBehind() throws Exception {
        String tooLarge = "too-large-" + UUID.randomUUID();
        String marker = "marker-" + UUID.randomUUID();
        String token = Tokens.bearer("olga", Tokens.OPERATOR);

        given().header("Authorization", token)
                .post("/probe/audit/" + tooLarge + "?padding=1100000")
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("status", org.hamcrest.Matchers.is(413))
                .body("detail", org.hamcrest.Matchers.containsString(EventType.AUDIT_RECORD_APPENDED.type()))
                .body("detail", org.hamcrest.Matchers.containsString("over the limit of 1,000,000 bytes"))
                .body("detail", org.hamcrest.Matchers.containsString("Make the request smaller"));
        // The change and its audit record rolled back together: neither the change's row nor an outbox row is left.
        assertThat(count(
                        "SELECT count(*) FROM processed_event WHERE consumer = 'probe-change' AND event_id = ?",
                        tooLarge))
                .isZero();
        assertThat(count("SELECT count(*) FROM outbox WHERE ce_subject = ?", tooLarge))
                .isZero();

        // A change just under the limit still goes out, and so does the next one: nothing holds the outbox up.
        given().header("Authorization", token)
                .post("/probe/audit/" + marker + "?padding=990000")
                .then()
                .statusCode(200);
        audit.awaitFirst(r -> marker.equals(r.header(CloudEventHeaders.SUBJECT)), Duration.ofSeconds(30));
        assertThat(audit.all()).noneMatch(r -> tooLarge.equals(r.header(CloudEventHeaders.SUBJECT)));
    }

    private long count(String sql, String parameter) throws java.sql.SQLException {
        try (java.sql.Connection c = dataSource.getConnection();
                java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, parameter);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void idempotencyGuardAnswersFirstDeliveryOnceAndForgetsARolledBackEffect() {
        String id = UUID.randomUUID().toString();
        String token = Tokens.bearer("olga", Tokens.OPERATOR);
        given().header("Authorization", token)
                .post("/probe/processed/" + id + "?fail=true")
                .then()
                .statusCode(500);
        given().header("Authorization", token)
                .post("/probe/processed/" + id)
                .then()
                .body(org.hamcrest.Matchers.is("true"));
        given().header("Authorization", token)
                .post("/probe/processed/" + id)
                .then()
                .body(org.hamcrest.Matchers.is("false"));
    }

    @Test
    void unreadableRecordGoesToTheDeadLetterTopicWithItsReasonAndTheConsumerKeepsGoing() {
        String badKey = "bad-" + UUID.randomUUID();
        producer.send(new ProducerRecord<>(PROBE_TOPIC, badKey, "{not a cloud event".getBytes(StandardCharsets.UTF_8)));
        CloudEvent good = probeEvent("after-the-bad-one");
        send(good);

        Received dead = deadLetters.awaitFirst(r -> badKey.equals(r.key()), Duration.ofSeconds(30));
        assertThat(dead.header("dead-letter-reason")).contains("ce_specversion");
        assertThat(dead.header("dead-letter-topic")).isEqualTo(PROBE_TOPIC);
        Awaits.eventually(() -> assertThat(consumer.applied()).contains(good.id() + ":after-the-bad-one"));
    }

    @Test
    void wrongDataForTheTypeIsDeadLetteredNamingTheProblem() {
        String key = "wrong-data-" + UUID.randomUUID();
        CloudEvent event = CloudEvent.of(
                EventType.AUDIT_RECORD_APPENDED,
                URI.create("/test"),
                key,
                OffsetDateTime.now(),
                "{\"id\": 42, \"actor\": \"not an object\"}".getBytes(StandardCharsets.UTF_8));
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(PROBE_TOPIC, key, event.data());
        CloudEventHeaders.write(event, record.headers());
        producer.send(record);

        Received dead = deadLetters.awaitFirst(r -> key.equals(r.key()), Duration.ofSeconds(30));
        assertThat(dead.header("dead-letter-reason")).contains("not a valid AuditRecord");
    }

    @Test
    void recordsArrivingWhileTheDatabaseIsAwayWaitInOrderAndAreAppliedWhenItIsBackNeverDeadLettered() {
        CloudEvent first = probeEvent("while-away-first");
        CloudEvent second = probeEvent("while-away-second");
        String key = "probe/outage-" + UUID.randomUUID();
        consumer.databaseAway(true);
        try {
            send(first, key);
            send(second, key);
            // Several times the attempts after which an unexplained failure is dead-lettered (unexplained-retries=3).
            Awaits.eventually(
                    Duration.ofSeconds(60),
                    () -> assertThat(consumer.attemptsWhileAway()).isGreaterThan(16));
            assertThat(consumer.applied()).noneMatch(a -> a.startsWith(first.id()) || a.startsWith(second.id()));
        } finally {
            consumer.databaseAway(false);
        }

        Awaits.eventually(
                Duration.ofSeconds(60),
                () -> assertThat(consumer.applied())
                        .containsSubsequence(first.id() + ":while-away-first", second.id() + ":while-away-second"));
        assertThat(deadLetters.all()).noneMatch(r -> key.equals(r.key()));
    }

    @Test
    void redeliveredEventIsAppliedOnce() {
        CloudEvent event = probeEvent("delivered-twice");
        send(event);
        send(event);
        CloudEvent after = probeEvent("after-the-redelivery");
        send(after);

        Awaits.eventually(() -> assertThat(consumer.applied()).contains(after.id() + ":after-the-redelivery"));
        assertThat(consumer.applied()).containsOnlyOnce(event.id() + ":delivered-twice");
    }

    private static CloudEvent probeEvent(String action) {
        AuditRecord data = new AuditRecord(
                UUID.randomUUID().toString(),
                new AuditRecord.Actor(AuditRecord.ActorType.service, "test"),
                action,
                new AuditRecord.Target("probe", action, null),
                AuditRecord.Outcome.success,
                UUID.randomUUID().toString(),
                "test",
                Instant.now(),
                Map.of());
        return CloudEvent.of(
                EventType.AUDIT_RECORD_APPENDED,
                URI.create("/test"),
                action,
                OffsetDateTime.now(),
                EventJson.write(data));
    }

    private static void send(CloudEvent event) {
        send(event, "probe/" + event.subject());
    }

    private static void send(CloudEvent event, String key) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(PROBE_TOPIC, key, event.data());
        CloudEventHeaders.write(event, record.headers());
        producer.send(record);
        producer.flush();
    }
}
