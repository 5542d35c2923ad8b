package io.meridian.placement.reconcile;

import io.meridian.contracts.Topic;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Knows when the {@link FleetViewCache} has read each fleet stream up to where it ended when the partitions were
 * assigned. Until then the view is partial, and a decision made from it would take clusters not yet read for lost
 * ones and fail every workload over: the reconciler waits, and readiness says so.
 */
@ApplicationScoped
public class FleetViewCatchUp {

    private static final Logger LOG = Logger.getLogger(FleetViewCatchUp.class);

    // "topic/partition" -> the end offset to reach; present only while behind.
    private final Map<String, Long> behind = new ConcurrentHashMap<>();
    private final Set<String> assignedTopics = ConcurrentHashMap.newKeySet();
    // The streams the view is built from: clusters, capacity and workload status, rates.
    private final Set<String> required =
            Set.of(Topic.CLUSTERS.topicName(), Topic.RESOURCES.topicName(), Topic.COST.topicName());
    private final CountDownLatch whole = new CountDownLatch(1);

    /**
     * Partitions of {@code topic} were assigned; {@code ends} holds the end offset of each partition whose position is
     * still before it.
     */
    public void assigned(String topic, Map<Integer, Long> ends) {
        ends.forEach((partition, end) -> behind.put(topic + "/" + partition, end));
        assignedTopics.add(topic);
        LOG.infof("fleet view: %s assigned, %d partitions to catch up", topic, ends.size());
        check();
    }

    /** A record the view read. */
    public void read(String topic, int partition, long offset) {
        if (behind.isEmpty()) {
            return;
        }
        String key = topic + "/" + partition;
        Long end = behind.get(key);
        if (end != null && offset + 1 >= end) {
            behind.remove(key);
            check();
        }
    }

    /** Whether every required stream was assigned and read up to where it ended then. */
    public boolean caughtUp() {
        return assignedTopics.containsAll(required) && behind.isEmpty();
    }

    /** The streams still being read, for readiness to tell. */
    public Set<String> pending() {
        Set<String> pending = ConcurrentHashMap.newKeySet();
        required.stream().filter(t -> !assignedTopics.contains(t)).forEach(pending::add);
        behind.keySet().forEach(k -> pending.add(k.substring(0, k.lastIndexOf('/'))));
        return Set.copyOf(pending);
    }

    /** Waits until the view caught up, at most {@code timeout}; whether it did. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return whole.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void check() {
        if (whole.getCount() > 0 && caughtUp()) {
            whole.countDown();
            LOG.info("fleet view caught up with the fleet streams");
        }
    }
}
