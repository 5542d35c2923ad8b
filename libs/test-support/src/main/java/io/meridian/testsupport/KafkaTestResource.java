package io.meridian.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a Quarkus test at the JVM's real Kafka broker with every Meridian topic created. The init
 * argument {@code topics} adds test topics: {@code name[:partitions]} separated by commas, each with
 * its {@code .dlq}.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    private String extraTopics = "";

    @Override
    public void init(Map<String, String> initArgs) {
        extraTopics = initArgs.getOrDefault("topics", "");
    }

    @Override
    public Map<String, String> start() {
        KafkaBroker broker = KafkaBroker.shared().createMeridianTopics();
        for (String spec : extraTopics.split(",")) {
            if (spec.isBlank()) {
                continue;
            }
            String[] parts = spec.trim().split(":");
            int partitions = parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
            broker.createTopic(parts[0], partitions, false);
            broker.createTopic(parts[0] + io.meridian.contracts.Topic.DEAD_LETTER_SUFFIX, partitions, false);
        }
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    @Override
    public void stop() {
        // The broker is shared by every test class of the JVM and stops with it.
    }
}
