package io.meridian.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.meridian.contracts.kafka.TopicBootstrap;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The AsyncAPI catalog says what the code does: same topics, keys, partitioning, cleanup and messages. */
class AsyncApiCatalogTest {

    private static final String CATALOG = "asyncapi/meridian.asyncapi.yaml";
    private static JsonNode catalog;

    @BeforeAll
    static void parse() throws Exception {
        try (InputStream in = AsyncApiCatalogTest.class.getClassLoader().getResourceAsStream(CATALOG)) {
            assertThat(in).as(CATALOG).isNotNull();
            catalog = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
    }

    @Test
    void isAnAsyncApi3Document() {
        assertThat(catalog.path("asyncapi").asText()).isEqualTo("3.0.0");
        assertThat(catalog.path("defaultContentType").asText()).isEqualTo("application/json");
    }

    @Test
    void listsExactlyTheTopicsAndTheirDeadLetterTopics() {
        List<String> expected = new ArrayList<>();
        for (Topic topic : Topic.values()) {
            expected.add(topic.topicName());
            expected.add(topic.deadLetterTopicName());
        }

        assertThat(catalog.path("channels").findValuesAsText("address")).containsExactlyInAnyOrderElementsOf(expected);
    }

    @ParameterizedTest
    @EnumSource(Topic.class)
    void topicChannelHasTheCatalogsKeyPartitioningAndCleanup(Topic topic) {
        JsonNode channel = channel(topic.topicName()).orElseThrow();
        JsonNode kafka = channel.at("/bindings/kafka");

        assertThat(kafka.path("topic").asText()).isEqualTo(topic.topicName());
        assertThat(kafka.path("partitions").asInt()).isEqualTo(topic.partitions());
        assertThat(channel.path("x-meridian-key").asText()).isEqualTo(topic.key());
        assertThat(channel.path("x-meridian-partitioning").asText())
                .isEqualTo(topic.clusterSegment() >= 0 ? "clusterId" : "key");
        assertThat(channel.path("x-meridian-cluster-segment").asInt()).isEqualTo(topic.clusterSegment());
        assertTopicConfiguration(kafka, TopicBootstrap.configs(topic, false));
        assertThat(kafka.at("/topicConfiguration/cleanup.policy/0").asText())
                .isEqualTo(topic.compacted() ? "compact" : "delete");
    }

    @ParameterizedTest
    @EnumSource(Topic.class)
    void deadLetterChannelIsDeletedAfterItsRetentionAndPartitionedLikeItsTopic(Topic topic) {
        JsonNode channel = channel(topic.deadLetterTopicName()).orElseThrow();
        JsonNode kafka = channel.at("/bindings/kafka");

        assertThat(kafka.path("partitions").asInt()).isEqualTo(topic.partitions());
        assertThat(channel.path("x-meridian-key").asText()).isEqualTo(topic.key());
        assertThat(channel.path("x-meridian-cluster-segment").asInt()).isEqualTo(topic.clusterSegment());
        assertTopicConfiguration(kafka, TopicBootstrap.configs(topic, true));
        assertThat(kafka.at("/topicConfiguration/cleanup.policy/0").asText()).isEqualTo("delete");
        assertThat(channel.at("/messages/deadLetter/$ref").asText()).isEqualTo("#/components/messages/deadLetter");
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyEventTypeIsAMessageOfItsTopicWithItsSchema(EventType type) {
        Map.Entry<String, JsonNode> message = StreamSupport.stream(
                        catalog.at("/components/messages").properties().spliterator(), false)
                .filter(m -> m.getValue().path("name").asText().equals(type.type()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no message named " + type.type()));
        JsonNode body = message.getValue();

        assertThat(body.at("/payload/schema/$ref").asText()).isEqualTo("../schemas/" + type.schemaFile());
        assertThat(body.at("/headers/allOf/0/$ref").asText()).isEqualTo("#/components/schemas/CloudEventHeaders");
        assertThat(body.at("/headers/allOf/1/properties/ce_type/const").asText())
                .isEqualTo(type.type());
        assertThat(body.at("/headers/allOf/1/properties/ce_dataschema/const").asText())
                .isEqualTo(type.dataschema().toString());
        assertThat(body.path("x-meridian-tombstone").asBoolean(false)).isEqualTo(type.tombstone());
        assertThat(type.topics()).isNotEmpty().allSatisfy(topic -> {
            JsonNode channel = channel(topic.topicName()).orElseThrow();
            assertThat(channel.at("/messages/" + message.getKey() + "/$ref").asText())
                    .isEqualTo("#/components/messages/" + message.getKey());
        });
    }

    @Test
    void cloudEventHeadersAreTheBinaryModeAttributes() {
        JsonNode headers = catalog.at("/components/schemas/CloudEventHeaders");

        assertThat(StreamSupport.stream(headers.path("required").spliterator(), false)
                        .map(JsonNode::asText)
                        .toList())
                .containsExactlyInAnyOrder("ce_specversion", "ce_id", "ce_type", "ce_source", "ce_time");
        assertThat(headers.path("properties").has("ce_dataschema")).isTrue();
    }

    private static void assertTopicConfiguration(JsonNode kafka, Map<String, String> configs) {
        JsonNode configuration = kafka.path("topicConfiguration");
        assertThat(configuration.path(TopicConfig.RETENTION_MS_CONFIG).asText())
                .isEqualTo(configs.get(TopicConfig.RETENTION_MS_CONFIG));
        assertThat(StreamSupport.stream(
                                configuration
                                        .path(TopicConfig.CLEANUP_POLICY_CONFIG)
                                        .spliterator(),
                                false)
                        .map(JsonNode::asText)
                        .toList())
                .containsExactly(configs.get(TopicConfig.CLEANUP_POLICY_CONFIG));
    }

    private static Optional<JsonNode> channel(String address) {
        return StreamSupport.stream(catalog.path("channels").spliterator(), false)
                .filter(c -> c.path("address").asText().equals(address))
                .findFirst();
    }
}
