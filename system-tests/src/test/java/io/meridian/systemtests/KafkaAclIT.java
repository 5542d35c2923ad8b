package io.meridian.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meridian.contracts.CloudEvent;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.desired.DesiredBundle;
import io.meridian.contracts.desired.DriftPolicy;
import io.meridian.contracts.kafka.CloudEventHeaders;
import io.meridian.contracts.kafka.DeadLetterHeaders;
import io.meridian.contracts.kafka.KafkaPrincipal;
import java.net.URI;
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
 * The bus is a trust boundary: each service's principal may do only what contracts' ACL catalog grants it, and what a
 * principal may write is still checked by inventory before it reaches a cluster.
 */
@SystemTest
class KafkaAclIT {

    private static final Duration DEAD_LETTER_WITHIN = Duration.ofSeconds(60);

    private final SystemUnderTest system;

    KafkaAclIT(SystemUnderTest system) {
        this.system = system;
    }

    @Test
    void costsPrincipalCannotDeclareADesiredBundle() {
        try (KafkaProducer<String, byte[]> cost = producer(KafkaPrincipal.COST)) {
            ProducerRecord<String, byte[]> bundle =
                    bundleRecord("policy", "acl-it-" + UUID.randomUUID(), URI.create("/meridian/cost"));

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
            identity.subscribe(List.of(Topic.DESIRED.topicName()));

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
    void aBundleUnderPolicysKeyWrittenByIdentityIsDeadLetteredByInventory() throws Exception {
        String cluster = "acl-it-" + UUID.randomUUID();
        ProducerRecord<String, byte[]> forged = bundleRecord("policy", cluster, URI.create("/meridian/identity"));

        // Identity may write the topic (it declares its own bundles there): the ACL lets the record through.
        try (KafkaProducer<String, byte[]> identity = producer(KafkaPrincipal.IDENTITY)) {
            identity.send(forged).get();
        }

        Properties properties = system.kafkaConsumerProperties("desired-dlq");
        try (KafkaConsumer<String, byte[]> deadLetters = new KafkaConsumer<>(properties)) {
            deadLetters.subscribe(List.of(Topic.DESIRED.deadLetterTopicName()));
            List<ConsumerRecord<String, byte[]>> ours = new ArrayList<>();
            await().atMost(DEAD_LETTER_WITHIN)
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> {
                        deadLetters.poll(Duration.ofMillis(500)).forEach(record -> {
                            if (forged.key().equals(record.key())) {
                                ours.add(record);
                            }
                        });
                        assertThat(ours).isNotEmpty();
                    });
            ConsumerRecord<String, byte[]> letter = ours.getFirst();
            assertThat(CloudEventHeaders.text(letter.headers(), DeadLetterHeaders.REASON))
                    .contains("refused")
                    .contains("/meridian/identity")
                    .contains("/meridian/policy");
            assertThat(CloudEventHeaders.text(letter.headers(), DeadLetterHeaders.TOPIC))
                    .isEqualTo(Topic.DESIRED.topicName());
        }
    }

    private KafkaProducer<String, byte[]> producer(KafkaPrincipal principal) {
        Properties properties = system.kafkaClientProperties(principal);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        return new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }

    /** A desired bundle of {@code owner} for a cluster, signed with {@code source}: one harmless ConfigMap. */
    private static ProducerRecord<String, byte[]> bundleRecord(String owner, String cluster, URI source) {
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
                        Map.of("name", "acl-it", "namespace", "default"),
                        "data",
                        Map.of("forged", "true"))),
                Instant.now());
        CloudEvent event = CloudEvent.of(
                EventType.DESIRED_BUNDLE_DECLARED,
                source,
                cluster,
                OffsetDateTime.now(ZoneOffset.UTC),
                EventJson.write(bundle));
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(Topic.DESIRED.topicName(), bundle.key(), event.data());
        CloudEventHeaders.write(event, record.headers());
        return record;
    }
}
