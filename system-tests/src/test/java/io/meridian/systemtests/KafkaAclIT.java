package io.meridian.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.contracts.desired.DesiredBundle;
import io.meridian.contracts.desired.DriftPolicy;
import io.meridian.contracts.kafka.CloudEventHeaders;
import io.meridian.contracts.kafka.DeadLetterHeaders;
import io.meridian.contracts.kafka.KafkaPrincipal;
import io.meridian.fleetsim.SimulatedCluster;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The bus is a trust boundary: each service's principal may do only what contracts' ACL catalog grants it (each owner
 * writes only its own desired topic, each service only its own audit topic), and what a principal may write is still
 * checked by inventory before it reaches a cluster: the topic a bundle comes on names its owner.
 */
@SystemTest
class KafkaAclIT {

    private static final Duration DEAD_LETTER_WITHIN = Duration.ofSeconds(60);
    private static final Duration READY_WITHIN = Duration.ofSeconds(90);

    private final SystemUnderTest system;

    KafkaAclIT(SystemUnderTest system) {
        this.system = system;
    }

    @Test
    void costsPrincipalCannotDeclareADesiredBundle() {
        try (KafkaProducer<String, byte[]> cost = producer(KafkaPrincipal.COST)) {
            ProducerRecord<String, byte[]> bundle = bundleRecord(
                    Topic.DESIRED_POLICY, "policy", "acl-it-" + UUID.randomUUID(), URI.create("/meridian/cost"));

            assertThatThrownBy(() -> cost.send(bundle).get())
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void identitysPrincipalCannotReadTheDesiredBundles() {
        Properties properties = system.kafkaClientProperties(KafkaPrincipal.IDENTITY);
        // A group identity may use, so that what is refused is the topic, not the group.
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "identity-acl-it-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> identity =
                new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
            // Not even its own: inventory alone reads the desired topics.
            identity.subscribe(List.of(Topic.DESIRED_IDENTITY.topicName()));

            assertThatThrownBy(() -> {
                        Instant deadline = Instant.now().plusSeconds(30);
                        while (Instant.now().isBefore(deadline)) {
                            identity.poll(Duration.ofMillis(500));
                        }
                    })
                    .isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void identitysPrincipalCannotWriteAnotherOwnersDesiredTopic() {
        String cluster = "acl-it-" + UUID.randomUUID();
        try (KafkaProducer<String, byte[]> identity = producer(KafkaPrincipal.IDENTITY)) {
            for (Topic other : List.of(Topic.DESIRED_POLICY, Topic.DESIRED_PLACEMENT)) {
                String owner = other.producer().orElseThrow();
                ProducerRecord<String, byte[]> forged =
                        bundleRecord(other, owner, cluster, URI.create("/meridian/" + owner));

                assertThatThrownBy(() -> identity.send(forged).get())
                        .as(other.topicName())
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(TopicAuthorizationException.class);
            }
        }
    }

    @Test
    void identitysPrincipalCannotWriteAnotherServicesAuditTrail() {
        AuditRecord record = new AuditRecord(
                UUID.randomUUID().toString(),
                new AuditRecord.Actor(AuditRecord.ActorType.service, "policy"),
                "policy.deleted",
                new AuditRecord.Target("Policy", "acl-it-" + UUID.randomUUID(), null),
                AuditRecord.Outcome.success,
                null,
                "policy",
                Instant.now(),
                Map.of());
        CloudEvent event = CloudEvent.of(
                EventType.AUDIT_RECORD_APPENDED,
                URI.create("/meridian/policy"),
                record.target().name(),
                OffsetDateTime.now(ZoneOffset.UTC),
                EventJson.write(record));
        ProducerRecord<String, byte[]> forged =
                new ProducerRecord<>(Topic.AUDIT_POLICY.topicName(), record.key(), event.data());
        CloudEventHeaders.write(event, forged.headers());

        try (KafkaProducer<String, byte[]> identity = producer(KafkaPrincipal.IDENTITY)) {
            assertThatThrownBy(() -> identity.send(forged).get())
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void aBundleUnderPolicysKeyOnIdentitysOwnTopicIsDeadLetteredAndChangesNothing() throws Exception {
        system.registerFleet();
        SimulatedCluster target = system.fleet().clusters().getFirst();
        awaitReady(target.name());
        String configMap = "acl-it-" + UUID.randomUUID().toString().substring(0, 8);
        // Identity's principal may write only identity's topic; there it names policy in the key and signs as policy:
        // all a producer controls. The topic, which Kafka authorized, still says the bundle is identity's.
        ProducerRecord<String, byte[]> forged = bundleRecord(
                Topic.DESIRED_IDENTITY, "policy", target.name(), URI.create("/meridian/policy"), configMap);
        try (KafkaProducer<String, byte[]> identity = producer(KafkaPrincipal.IDENTITY)) {
            identity.send(forged).get();
        }

        Properties properties = system.kafkaConsumerProperties("desired-dlq");
        try (KafkaConsumer<String, byte[]> deadLetters = new KafkaConsumer<>(properties)) {
            deadLetters.subscribe(List.of(Topic.DESIRED_IDENTITY.deadLetterTopicName()));
            List<ConsumerRecord<String, byte[]>> ours = new ArrayList<>();
            await().atMost(DEAD_LETTER_WITHIN)
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> {
                        deadLetters.poll(Duration.ofMillis(500)).forEach(record -> {
                            if (forged.key().equals(record.key())
                                    && new String(record.value(), StandardCharsets.UTF_8).contains(configMap)) {
                                ours.add(record);
                            }
                        });
                        assertThat(ours).isNotEmpty();
                    });
            ConsumerRecord<String, byte[]> letter = ours.getFirst();
            assertThat(CloudEventHeaders.text(letter.headers(), DeadLetterHeaders.REASON))
                    .contains("refused")
                    .contains("key names owner 'policy'")
                    .contains(Topic.DESIRED_IDENTITY.topicName());
            assertThat(CloudEventHeaders.text(letter.headers(), DeadLetterHeaders.TOPIC))
                    .isEqualTo(Topic.DESIRED_IDENTITY.topicName());
        }
        // Refused before anything was applied: three seconds after the dead letter the ConfigMap is still not there
        // (an apply takes well under a second here).
        await().pollDelay(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(target.client()
                                .configMaps()
                                .inNamespace("default")
                                .withName(configMap)
                                .get())
                        .as("ConfigMap " + configMap + " on " + target.name())
                        .isNull());
    }

    private void awaitReady(String cluster) {
        await().atMost(READY_WITHIN)
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(system.as(DemoUser.VIEWER, Service.INVENTORY)
                                .get("/api/v1/clusters/{name}", cluster)
                                .then()
                                .extract()
                                .jsonPath()
                                .getString("status.phase"))
                        .isEqualTo("Ready"));
    }

    private KafkaProducer<String, byte[]> producer(KafkaPrincipal principal) {
        Properties properties = system.kafkaClientProperties(principal);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        return new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }

    /** A desired bundle of {@code owner} for a cluster on a topic, signed with {@code source}: a harmless ConfigMap. */
    private static ProducerRecord<String, byte[]> bundleRecord(Topic topic, String owner, String cluster, URI source) {
        return bundleRecord(topic, owner, cluster, source, "acl-it");
    }

    private static ProducerRecord<String, byte[]> bundleRecord(
            Topic topic, String owner, String cluster, URI source, String configMap) {
        DesiredBundle bundle = new DesiredBundle(
                owner,
                cluster,
                1,
                DriftPolicy.REPAIR,
                false,
                List.of(Map.of(
                        "apiVersion",
                        "v1",
                        "kind",
                        "ConfigMap",
                        "metadata",
                        Map.of("name", configMap, "namespace", "default"),
                        "data",
                        Map.of("forged", "true"))),
                Instant.now());
        CloudEvent event = CloudEvent.of(
                EventType.DESIRED_BUNDLE_DECLARED,
                source,
                cluster,
                OffsetDateTime.now(ZoneOffset.UTC),
                EventJson.write(bundle));
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic.topicName(), bundle.key(), event.data());
        CloudEventHeaders.write(event, record.headers());
        return record;
    }
}
