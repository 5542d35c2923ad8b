package io.meridian.testsupport;

import io.meridian.contracts.kafka.TopicBootstrap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft Kafka broker running inside the test JVM. One is shared per JVM ({@link
 * #shared()}) because starting one costs about three seconds; tests isolate themselves by topic names
 * and consumer groups instead.
 */
public final class KafkaBroker implements AutoCloseable {

    private static KafkaBroker shared;

    private final KafkaClusterTestKit cluster;
    private final Admin admin;

    private KafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        this.admin = Admin.create(props);
    }

    /** The broker of this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            shared = start();
            KafkaBroker broker = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-shutdown"));
        }
        return shared;
    }

    /** Starts a new broker; callers own it and must close it. */
    public static KafkaBroker start() {
        try {
            Path dir = Files.createTempDirectory("meridian-kafka-");
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                            .setCombined(true)
                            .setNumBrokerNodes(1)
                            .setNumControllerNodes(1)
                            .setBaseDirectory(dir)
                            .build())
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "3")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .setConfigProp("log.cleaner.backoff.ms", "1000")
                    .setDeleteOnClose(true)
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new KafkaBroker(cluster);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the in-JVM Kafka broker", e);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public Admin admin() {
        return admin;
    }

    /** Creates every topic of Meridian's catalog and its dead-letter topic, exactly as the bootstrap deploys them. */
    public KafkaBroker createMeridianTopics() {
        try {
            new TopicBootstrap(admin, (short) 1, OptionalInt.empty()).run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not create Meridian's topics", e.getCause());
        }
        return this;
    }

    /** Creates a topic unless it exists; tests use unique names to stay independent of each other. */
    public KafkaBroker createTopic(String name, int partitions, boolean compacted) {
        create(List.of(newTopic(name, partitions, compacted)));
        return this;
    }

    public Set<String> topicNames() {
        try {
            return admin.listTopics().names().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not list topics", e.getCause());
        }
    }

    private static NewTopic newTopic(String name, int partitions, boolean compacted) {
        return new NewTopic(name, partitions, (short) 1)
                .configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG,
                        compacted ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE));
    }

    private void create(List<NewTopic> topics) {
        var result = admin.createTopics(topics);
        for (var entry : result.values().entrySet()) {
            try {
                entry.getValue().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("could not create topic " + entry.getKey(), e.getCause());
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            admin.close();
            cluster.close();
        } catch (Exception e) {
            // Closing at JVM exit: nothing to do but say so.
            System.err.println("Kafka broker did not close cleanly: " + e);
        }
    }
}
