package io.meridian.eventing.catchup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class StreamCatchUpTest {

    private static final TopicPartition CLUSTERS_0 = new TopicPartition("fleet.clusters.v1", 0);
    private static final TopicPartition CLUSTERS_1 = new TopicPartition("fleet.clusters.v1", 1);
    private static final TopicPartition COST_0 = new TopicPartition("fleet.cost.v1", 0);

    @Test
    void theViewIsWholeOnlyOnceEveryRequiredTopicWasAssignedAndReadAsFarAsItWent() throws InterruptedException {
        StreamCatchUp catchUp = new StreamCatchUp("test view", Set.of("fleet.clusters.v1", "fleet.cost.v1"));
        assertThat(catchUp.caughtUp()).isFalse();
        assertThat(catchUp.pending()).containsExactlyInAnyOrder("fleet.clusters.v1", "fleet.cost.v1");

        MockConsumer<String, byte[]> consumer = consumer(Map.of(CLUSTERS_0, 3L, CLUSTERS_1, 0L));
        catchUp.assigned(consumer, List.of(CLUSTERS_0, CLUSTERS_1));
        assertThat(catchUp.pending()).containsExactlyInAnyOrder("fleet.clusters.v1", "fleet.cost.v1");

        catchUp.read("fleet.clusters.v1", 0, 1);
        catchUp.read("fleet.clusters.v1", 0, 2); // the last record before the end
        assertThat(catchUp.pending()).containsExactly("fleet.cost.v1");
        assertThat(catchUp.caughtUp()).as("cost not assigned yet").isFalse();

        catchUp.assigned(consumer(Map.of(COST_0, 0L)), List.of(COST_0)); // empty: nothing to read
        assertThat(catchUp.caughtUp()).isTrue();
        assertThat(catchUp.awaitCaughtUp(Duration.ZERO)).isTrue();
    }

    @Test
    void withoutRequiredTopicsAnyAssignmentWillDoEvenOfNoPartition() {
        StreamCatchUp catchUp = new StreamCatchUp("test view", Set.of());
        assertThat(catchUp.caughtUp()).isFalse();
        catchUp.assigned(consumer(Map.of()), List.of());
        assertThat(catchUp.caughtUp()).isTrue();
    }

    @Test
    void aBrokerAwayWhenPartitionsAreAssignedIsAskedAgainRatherThanFailingTheChannel() {
        StreamCatchUp catchUp = new StreamCatchUp("test view", Set.of("fleet.clusters.v1"), Duration.ofMinutes(1));
        MockConsumer<String, byte[]> consumer = consumer(Map.of(CLUSTERS_0, 2L), 2);

        catchUp.assigned(consumer, List.of(CLUSTERS_0));

        assertThat(catchUp.pending()).as("learnt where the partition ends").containsExactly("fleet.clusters.v1");
        catchUp.read("fleet.clusters.v1", 0, 1);
        assertThat(catchUp.caughtUp()).isTrue();
    }

    @Test
    void aBrokerAwayForLongerThanThePatienceFailsTheAssignmentAsBefore() {
        StreamCatchUp catchUp = new StreamCatchUp("test view", Set.of("fleet.clusters.v1"), Duration.ZERO);
        MockConsumer<String, byte[]> consumer = consumer(Map.of(CLUSTERS_0, 2L), 1);

        assertThatThrownBy(() -> catchUp.assigned(consumer, List.of(CLUSTERS_0)))
                .isInstanceOf(TimeoutException.class);
        assertThat(catchUp.caughtUp()).isFalse();
    }

    private static MockConsumer<String, byte[]> consumer(Map<TopicPartition, Long> ends) {
        return consumer(ends, 0);
    }

    /** A consumer whose first {@code timeouts} lookups of end offsets time out, as while the broker is away. */
    private static MockConsumer<String, byte[]> consumer(Map<TopicPartition, Long> ends, int timeouts) {
        AtomicInteger left = new AtomicInteger(timeouts);
        MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest") {
            // MockConsumer's lookup with a timeout asks this one: both time out.
            @Override
            public synchronized Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
                if (left.getAndDecrement() > 0) {
                    throw new TimeoutException("no broker answered in time");
                }
                return super.endOffsets(partitions);
            }
        };
        consumer.assign(ends.keySet());
        consumer.updateBeginningOffsets(
                ends.keySet().stream().collect(java.util.stream.Collectors.toMap(tp -> tp, tp -> 0L)));
        consumer.updateEndOffsets(ends);
        return consumer;
    }
}
