package io.meridian.eventing.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.fleet.ClusterEvent;
import io.meridian.contracts.fleet.ResourceEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class SkippedFleetEventsTest {

    private static final String NEWER = "io.meridian.inventory.cluster.renamed.v9";

    @Test
    void skipsAreCountedPerTopicAndType() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SkippedFleetEvents skipped = new SkippedFleetEvents(registry);

        skipped.count(record("fleet.clusters.v1", "c1"), new ClusterEvent.Skipped(NEWER, "unknown"));
        skipped.count(record("fleet.clusters.v1", "c2"), new ClusterEvent.Skipped(NEWER, "unknown"));
        skipped.count(record("fleet.resources.v1", "c1/~resync"), new ResourceEvent.Skipped("none", "marker"));

        assertThat(count(registry, "fleet.clusters.v1", NEWER)).isEqualTo(2.0);
        assertThat(count(registry, "fleet.resources.v1", "none")).isEqualTo(1.0);
        assertThat(registry.find(SkippedFleetEvents.METRIC)
                        .tags("topic", "fleet.resources.v1", "type", NEWER)
                        .counter())
                .isNull();
    }

    private static double count(SimpleMeterRegistry registry, String topic, String type) {
        return registry.get(SkippedFleetEvents.METRIC)
                .tags("topic", topic, "type", type)
                .counter()
                .count();
    }

    private static ConsumerRecord<String, byte[]> record(String topic, String key) {
        return new ConsumerRecord<>(topic, 0, 7L, key, null);
    }
}
