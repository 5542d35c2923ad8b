package io.meridian.contracts.kafka;

import io.meridian.contracts.Topic;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.utils.Utils;

/**
 * Partitions every Meridian topic that is about a cluster by the clusterId inside the key, so all
 * records about one cluster stay ordered in one partition whatever else the key holds. Other keys are
 * hashed whole, exactly like Kafka's default partitioner.
 */
public class ClusterKeyPartitioner implements Partitioner {

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        int partitions = cluster.partitionCountForTopic(topic);
        if (keyBytes == null) {
            throw new IllegalArgumentException("Meridian records are always keyed; topic " + topic + " got no key");
        }
        String routingKey = Topic.byName(
                        topic.endsWith(Topic.DEAD_LETTER_SUFFIX)
                                ? topic.substring(0, topic.length() - Topic.DEAD_LETTER_SUFFIX.length())
                                : topic)
                .flatMap(t -> t.clusterIdOf(new String(keyBytes, StandardCharsets.UTF_8)))
                .orElse(null);
        return partitionFor(routingKey == null ? keyBytes : routingKey.getBytes(StandardCharsets.UTF_8), partitions);
    }

    /** Kafka's own murmur2 choice, so tools computing partitions by hand agree with producers. */
    public static int partitionFor(byte[] routingKey, int partitions) {
        return Utils.toPositive(Utils.murmur2(routingKey)) % partitions;
    }

    @Override
    public void close() {}

    @Override
    public void configure(Map<String, ?> configs) {}
}
