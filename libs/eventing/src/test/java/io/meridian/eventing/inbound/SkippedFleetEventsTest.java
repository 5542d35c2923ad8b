package io.meridian.eventing.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.fleet.ClusterEvent;
import io.meridian.contracts.fleet.PlacementEvent;
import io.meridian.contracts.fleet.RatesEvent;
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

    @Test
    void skipsOfPlacementFactsAndClusterRatesAreCountedLikeTheOthers() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SkippedFleetEvents skipped = new SkippedFleetEvents(registry);
        String newerPlacement = "io.meridian.placement.rollout.paused.v9";
        String newerRates = "io.meridian.cost.rates.forecast.v9";

        skipped.count(
                record("fleet.placement.v1", "checkout/rollout"),
                new PlacementEvent.Skipped(newerPlacement, "unknown"));
        skipped.count(record("fleet.placement.v1", "checkout/canary"), new PlacementEvent.Skipped("none", "key"));
        skipped.count(record("fleet.cost.v1", "rates/aws-1"), new RatesEvent.Skipped(newerRates, "unknown"));

        assertThat(count(registry, "fleet.placement.v1", newerPlacement)).isEqualTo(1.0);
        assertThat(count(registry, "fleet.placement.v1", "none")).isEqualTo(1.0);
        assertThat(count(registry, "fleet.cost.v1", newerRates)).isEqualTo(1.0);
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
