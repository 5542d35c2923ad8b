package io.meridian.contracts.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.contracts.Topic;
import io.meridian.contracts.kafka.TopicBootstrap.Change;
import io.meridian.contracts.kafka.TopicBootstrap.TopicResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.CreatePartitionsResult;
import org.apache.kafka.clients.admin.MockAdminClient;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicBootstrapTest {

    private static final short ONE = 1;
    private static final Node BROKER = new Node(0, "localhost", 9092);

    @Test
    void plansEveryTopicAndItsDeadLetterTopic() {
        List<NewTopic> planned = TopicBootstrap.plannedTopics(ONE, OptionalInt.empty());

        assertThat(planned).hasSize(Topic.values().length * 2);
        for (Topic topic : Topic.values()) {
            NewTopic main = find(planned, topic.topicName());
            NewTopic deadLetter = find(planned, topic.deadLetterTopicName());
            assertThat(main.numPartitions()).isEqualTo(topic.partitions());
            assertThat(deadLetter.numPartitions()).as("dlq partitions").isEqualTo(topic.partitions());
            assertThat(main.replicationFactor()).isEqualTo(ONE);
        }
    }

    @Test
    void compactedTopicsKeepTheirLatestRecordsForever() {
        Map<String, String> configs = find(TopicBootstrap.plannedTopics(ONE, OptionalInt.empty()), "fleet.resources.v1")
                .configs();

        assertThat(configs)
                .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "compact")
                .containsEntry(TopicConfig.RETENTION_MS_CONFIG, "-1");
    }

    @Test
    void thePlacementTopicIsCompactedAndItsDeadLetterTopicIsNot() {
        List<NewTopic> planned = TopicBootstrap.plannedTopics(ONE, OptionalInt.empty());

        assertThat(find(planned, "fleet.placement.v1").configs())
                .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "compact")
                .containsEntry(TopicConfig.RETENTION_MS_CONFIG, "-1");
        assertThat(find(planned, "fleet.placement.v1").numPartitions()).isEqualTo(3);
        assertThat(find(planned, "fleet.placement.v1.dlq").configs())
                .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "delete");
    }

    @Test
    void deleteTopicsAreRetainedForTheirCatalogDuration() {
        Map<String, String> configs = find(TopicBootstrap.plannedTopics(ONE, OptionalInt.empty()), "fleet.metrics.v1")
                .configs();

        assertThat(configs)
                .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "delete")
                .containsEntry(TopicConfig.RETENTION_MS_CONFIG, Long.toString(2L * 24 * 3600 * 1000));
        assertThat(TopicBootstrap.configs(Topic.AUDIT_POLICY, false))
                .containsEntry(TopicConfig.RETENTION_MS_CONFIG, Long.toString(365L * 24 * 3600 * 1000));
    }

    @Test
    void deadLetterTopicsAreDeletedAfterTwoWeeksEvenForCompactedTopics() {
        assertThat(find(TopicBootstrap.plannedTopics(ONE, OptionalInt.empty()), "fleet.clusters.v1.dlq")
                        .configs())
                .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "delete")
                .containsEntry(TopicConfig.RETENTION_MS_CONFIG, Long.toString(14L * 24 * 3600 * 1000));
    }

    @Test
    void partitionOverrideAppliesToEveryTopic() {
        assertThat(TopicBootstrap.plannedTopics((short) 3, OptionalInt.of(2))).allSatisfy(t -> {
            assertThat(t.numPartitions()).isEqualTo(2);
            assertThat(t.replicationFactor()).isEqualTo((short) 3);
        });
    }

    @Test
    void firstRunCreatesEverythingAndSecondRunChangesNothing() throws Exception {
        try (MockAdminClient admin = MockAdminClient.create().numBrokers(1).build()) {
            TopicBootstrap bootstrap = new TopicBootstrap(admin, ONE, OptionalInt.empty());

            List<TopicResult> first = bootstrap.run();
            List<TopicResult> second = bootstrap.run();

            assertThat(first)
                    .hasSize(Topic.values().length * 2)
                    .allSatisfy(r -> assertThat(r.change()).isEqualTo(Change.CREATED));
            assertThat(first.get(0)).isEqualTo(new TopicResult("fleet.clusters.v1", Change.CREATED, 6));
            assertThat(first.get(1)).isEqualTo(new TopicResult("fleet.clusters.v1.dlq", Change.CREATED, 6));
            assertThat(second).allSatisfy(r -> assertThat(r.change()).isEqualTo(Change.UNCHANGED));
            assertThat(second)
                    .extracting(TopicResult::partitions)
                    .isEqualTo(first.stream().map(TopicResult::partitions).toList());
            assertThat(admin.listTopics().names().get())
                    .hasSize(Topic.values().length * 2)
                    .contains("fleet.placement.v1", "fleet.desired.identity.v1", "fleet.audit.cost.v1");
        }
    }

    @Test
    void existingTopicWithTooFewPartitionsIsGrownAndOneWithMoreIsLeftAlone() throws Exception {
        try (PartitionRecordingAdmin admin = new PartitionRecordingAdmin()) {
            admin.createTopics(List.of(
                            new NewTopic("fleet.resources.v1", 3, ONE), new NewTopic("fleet.alerts.v1", 8, ONE)))
                    .all()
                    .get();

            List<TopicResult> results = new TopicBootstrap(admin, ONE, OptionalInt.empty()).run();

            assertThat(results)
                    .contains(
                            new TopicResult("fleet.resources.v1", Change.PARTITIONS_INCREASED, 12),
                            new TopicResult("fleet.alerts.v1", Change.UNCHANGED, 8),
                            new TopicResult("fleet.resources.v1.dlq", Change.CREATED, 12));
            assertThat(admin.increases).isEqualTo(Map.of("fleet.resources.v1", 12));
        }
    }

    @Test
    void resultLineNamesTopicChangeAndPartitions() {
        assertThat(new TopicResult("fleet.sync.v1", Change.PARTITIONS_INCREASED, 6))
                .hasToString("fleet.sync.v1 partitions_increased partitions=6");
    }

    @Test
    void commandLineIsParsed() {
        assertThat(TopicBootstrap.Arguments.parse(new String[] {"--bootstrap-servers", "localhost:9092"}))
                .isEqualTo(new TopicBootstrap.Arguments("localhost:9092", null, ONE, OptionalInt.empty()));
        assertThat(TopicBootstrap.Arguments.parse(new String[] {
                    "--partitions-override", "1", "--bootstrap-servers", "k:1", "--replication-factor", "3"
                }))
                .isEqualTo(new TopicBootstrap.Arguments("k:1", null, (short) 3, OptionalInt.of(1)));
        assertThat(TopicBootstrap.Arguments.parse(
                        new String[] {"--bootstrap-servers", "k:1", "--command-config", "/stack/users/admin.properties"
                        }))
                .isEqualTo(new TopicBootstrap.Arguments(
                        "k:1", Path.of("/stack/users/admin.properties"), ONE, OptionalInt.empty()));
    }

    @Test
    void commandConfigAddsHowToLogInAndTheCommandLineKeepsTheServers(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("admin.properties");
        Files.writeString(
                config,
                "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\nbootstrap.servers=elsewhere:1\n");

        Properties props = AclBootstrap.adminProperties("k:1", config, "meridian-topic-bootstrap");

        assertThat(props)
                .containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("bootstrap.servers", "k:1")
                .containsEntry("client.id", "meridian-topic-bootstrap");
        assertThatThrownBy(() -> AclBootstrap.adminProperties("k:1", dir.resolve("missing"), "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--command-config");
    }

    @Test
    void badCommandLinesAreRefusedWithUsage() {
        assertThatThrownBy(() -> TopicBootstrap.Arguments.parse(new String[] {}))
                .hasMessageContaining("--bootstrap-servers");
        assertThatThrownBy(() -> TopicBootstrap.Arguments.parse(
                        new String[] {"--bootstrap-servers", "k:1", "--replication-factor", "zero"}))
                .hasMessageContaining("--replication-factor");
        assertThatThrownBy(() -> TopicBootstrap.Arguments.parse(new String[] {"--bootstrap-servers"}))
                .hasMessageContaining("needs a value");
        assertThatThrownBy(() -> TopicBootstrap.Arguments.parse(new String[] {"--brokers", "k:1"}))
                .hasMessageContaining("unknown option --brokers");

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = TopicBootstrap.run(
                new String[] {"--partitions-override", "-1"},
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: TopicBootstrap");
    }

    /**
     * MockAdminClient does not implement createPartitions; this one records the request. Growing a real topic
     * is covered by the broker test.
     */
    private static final class PartitionRecordingAdmin extends MockAdminClient {

        final Map<String, Integer> increases = new LinkedHashMap<>();

        PartitionRecordingAdmin() {
            super(List.of(BROKER), BROKER);
        }

        @Override
        public synchronized CreatePartitionsResult createPartitions(
                Map<String, NewPartitions> newPartitions, CreatePartitionsOptions options) {
            Map<String, KafkaFuture<Void>> done = new LinkedHashMap<>();
            newPartitions.forEach((topic, partitions) -> {
                increases.put(topic, partitions.totalCount());
                done.put(topic, KafkaFuture.completedFuture(null));
            });
            try {
                // The result's constructor is package-private.
                Constructor<CreatePartitionsResult> constructor =
                        CreatePartitionsResult.class.getDeclaredConstructor(Map.class);
                constructor.setAccessible(true);
                return constructor.newInstance(done);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static NewTopic find(List<NewTopic> topics, String name) {
        return topics.stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no planned topic " + name));
    }
}
