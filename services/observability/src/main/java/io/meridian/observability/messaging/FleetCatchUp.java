package io.meridian.observability.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Knows when the fleet view has read its topics up to where they ended at startup, so the alert evaluator
 * never judges an empty view (which would resolve every alert after a restart).
 */
@ApplicationScoped
public class FleetCatchUp {

    private static final Logger LOG = Logger.getLogger(FleetCatchUp.class);

    private final Map<TopicPartition, Long> behind = new ConcurrentHashMap<>();
    private volatile boolean assigned;

    /** Notes where each newly assigned partition ends, to know when the view has read that far. */
    void assigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        for (TopicPartition tp : partitions) {
            long end = ends.getOrDefault(tp, 0L);
            if (consumer.position(tp) < end) {
                behind.put(tp, end);
            }
        }
        assigned = true;
        LOG.infof("fleet view assigned %d partitions, %d to catch up", partitions.size(), behind.size());
    }

    /** Notes a record read by the fleet view. */
    void read(String topic, int partition, long offset) {
        if (behind.isEmpty()) {
            return;
        }
        TopicPartition tp = new TopicPartition(topic, partition);
        Long end = behind.get(tp);
        if (end != null && offset + 1 >= end) {
            behind.remove(tp);
            if (behind.isEmpty()) {
                LOG.info("fleet view caught up with its topics");
            }
        }
    }

    public boolean caughtUp() {
        return assigned && behind.isEmpty();
    }
}
