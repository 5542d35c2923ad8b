package io.meridian.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.Topic;
import io.meridian.contracts.kafka.TopicBootstrap;
import io.meridian.contracts.kafka.TopicBootstrap.Change;
import io.meridian.contracts.kafka.TopicBootstrap.TopicResult;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/** The topic bootstrap against a real broker: creates, leaves alone, and grows partitions. */
class TopicBootstrapBrokerTest {

    @Test
    void createsTheCatalogThenLeavesItAloneAndGrowsTooFewPartitions() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start()) {
            // Someone created the metrics topic by hand with a single partition.
            broker.admin()
                    .createTopics(List.of(new NewTopic(Topic.METRICS.topicName(), 1, (short) 1)))
                    .all()
                    .get();

            List<TopicResult> first = new TopicBootstrap(broker.admin(), (short) 1, OptionalInt.empty()).run();
            assertThat(first).hasSize(Topic.values().length * 2);
            assertThat(result(first, Topic.METRICS.topicName()).change()).isEqualTo(Change.PARTITIONS_INCREASED);
            assertThat(result(first, Topic.RESOURCES.topicName()).change()).isEqualTo(Change.CREATED);
            // Partition growth reaches the broker's metadata cache asynchronously.
            Awaits.eventually(() -> assertThat(broker.admin()
                            .describeTopics(List.of(Topic.METRICS.topicName()))
                            .allTopicNames()
                            .get()
                            .get(Topic.METRICS.topicName())
                            .partitions())
                    .hasSize(Topic.METRICS.partitions()));

            List<TopicResult> second = new TopicBootstrap(broker.admin(), (short) 1, OptionalInt.empty()).run();
            assertThat(second).allMatch(r -> r.change() == Change.UNCHANGED);

            Map<ConfigResource, Config> configs = broker.admin()
                    .describeConfigs(List.of(
                            new ConfigResource(ConfigResource.Type.TOPIC, Topic.RESOURCES.topicName()),
                            new ConfigResource(ConfigResource.Type.TOPIC, Topic.AUDIT_POLICY.deadLetterTopicName())))
                    .all()
                    .get();
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, Topic.RESOURCES.topicName()))
                            .get("cleanup.policy")
                            .value())
                    .isEqualTo("compact");
            assertThat(configs.get(new ConfigResource(
                                    ConfigResource.Type.TOPIC, Topic.AUDIT_POLICY.deadLetterTopicName()))
                            .get("cleanup.policy")
                            .value())
                    .isEqualTo("delete");
        }
    }

    private static TopicResult result(List<TopicResult> results, String topic) {
        return results.stream().filter(r -> r.topic().equals(topic)).findFirst().orElseThrow();
    }
}
