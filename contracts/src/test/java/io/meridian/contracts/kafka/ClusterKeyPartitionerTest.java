package io.meridian.contracts.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.contracts.Topic;
import io.meridian.contracts.desired.DesiredBundle;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.resource.ResyncMarker;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

class ClusterKeyPartitionerTest {

    private static final Node BROKER = new Node(0, "localhost", 9092);
    private static final Cluster CLUSTER = cluster();

    private final ClusterKeyPartitioner partitioner = new ClusterKeyPartitioner();

    @Test
    void everyResourceKeyOfOneClusterLandsInTheClusterPartition() {
        List<String> keys = List.of(
                "c1/apps/Deployment/ns/x",
                ObservedResource.key("c1", "", "Pod", "payments", "checkout-7d9f8b6c5d-x2k4p"),
                ObservedResource.key("c1", "", "Node", null, "node-a"),
                ObservedResource.key("c1", "rbac.authorization.k8s.io", "ClusterRoleBinding", null, "view"),
                ResyncMarker.key("c1"));
        String topic = Topic.RESOURCES.topicName();
        int expected = ClusterKeyPartitioner.partitionFor(bytes("c1"), Topic.RESOURCES.partitions());

        assertThat(keys)
                .allSatisfy(key -> assertThat(partition(topic, key)).as(key).isEqualTo(expected));
        assertThat(keys)
                .allSatisfy(key -> assertThat(partition(Topic.RESOURCES.deadLetterTopicName(), key))
                        .as("dlq " + key)
                        .isEqualTo(expected));
    }

    @Test
    void ownerKeysArePartitionedByTheirClusterSegment() {
        int expected = ClusterKeyPartitioner.partitionFor(bytes("c1"), Topic.DESIRED_IDENTITY.partitions());

        // Every owner's topic has the same partitions, so one cluster's bundles share a partition number on each.
        assertThat(Topic.desired()).extracting(Topic::partitions).containsOnly(Topic.DESIRED_IDENTITY.partitions());
        assertThat(partition(Topic.DESIRED_IDENTITY.topicName(), DesiredBundle.key("identity", "c1")))
                .isEqualTo(expected);
        assertThat(partition(Topic.DESIRED_POLICY.topicName(), DesiredBundle.key("policy", "c1")))
                .isEqualTo(expected);
        assertThat(partition(Topic.DESIRED_IDENTITY.deadLetterTopicName(), "identity/c1"))
                .isEqualTo(expected);
        assertThat(partition(Topic.SYNC.topicName(), "policy/c1"))
                .isEqualTo(ClusterKeyPartitioner.partitionFor(bytes("c1"), Topic.SYNC.partitions()));
        assertThat(partition(Topic.COMPLIANCE.topicName(), "require-team-label/c1/apps/Deployment/default/x"))
                .isEqualTo(ClusterKeyPartitioner.partitionFor(bytes("c1"), Topic.COMPLIANCE.partitions()));
    }

    @Test
    void differentClustersSpreadOverPartitions() {
        Set<Integer> used = IntStream.range(0, 60)
                .mapToObj(i -> partition(Topic.RESOURCES.topicName(), "cluster-" + i + "/apps/Deployment/ns/x"))
                .collect(Collectors.toSet());

        assertThat(used).hasSizeGreaterThan(Topic.RESOURCES.partitions() / 2);
    }

    @Test
    void keysNotAboutAClusterAreHashedWholeLikeKafkasDefault() {
        String topic = Topic.ACCESS.topicName();
        for (String key : List.of("group/platform-team", "user/bob@example.com", "group/c1")) {
            assertThat(partition(topic, key))
                    .isEqualTo(Utils.toPositive(Utils.murmur2(bytes(key))) % Topic.ACCESS.partitions());
        }
    }

    @Test
    void topicsOutsideTheCatalogAreHashedWhole() {
        assertThat(partition("someone.elses.topic", "c1/x"))
                .isEqualTo(Utils.toPositive(Utils.murmur2(bytes("c1/x"))) % 4);
    }

    @Test
    void recordWithoutKeyIsRefused() {
        assertThatThrownBy(() -> partitioner.partition(Topic.CLUSTERS.topicName(), null, null, null, null, CLUSTER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Topic.CLUSTERS.topicName());
    }

    private int partition(String topic, String key) {
        return partitioner.partition(topic, key, bytes(key), null, null, CLUSTER);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Cluster cluster() {
        List<PartitionInfo> partitions = new ArrayList<>();
        for (Topic topic : Topic.values()) {
            addPartitions(partitions, topic.topicName(), topic.partitions());
            addPartitions(partitions, topic.deadLetterTopicName(), topic.partitions());
        }
        addPartitions(partitions, "someone.elses.topic", 4);
        return new Cluster("test", List.of(BROKER), partitions, Set.of(), Set.of());
    }

    private static void addPartitions(List<PartitionInfo> partitions, String topic, int count) {
        Node[] replicas = {BROKER};
        for (int p = 0; p < count; p++) {
            partitions.add(new PartitionInfo(topic, p, BROKER, replicas, replicas));
        }
    }
}
