package io.meridian.eventing.catchup;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Knows when a view that every replica builds in memory from compacted topics (read whole, in a group of its own) has
 * read each assigned partition up to where it ended when it was assigned. Until then the view is partial, and a
 * judgement made from it takes what it has not read yet for gone: resolving every alert, failing every workload over.
 *
 * <p>The channels' rebalance listener hands each assignment to {@link #assigned(Consumer, Collection)}; the consumers
 * report each record with {@link #read}. Thread-safe: the listeners and consumers of several channels call it at once.
 */
public final class StreamCatchUp {

    private static final Logger LOG = Logger.getLogger(StreamCatchUp.class);
    // Each lookup of where partitions end; asked again while the broker is away, for at most the patience, which stays
    // below max.poll.interval.ms (5 min by default): a listener that blocks past it makes the consumer leave its group.
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration ASSIGNMENT_PATIENCE = Duration.ofMinutes(4);

    private final String view;
    private final Set<String> required;
    private final Duration patience;
    // The end offset each partition must reach; present only while it is behind.
    private final Map<TopicPartition, Long> behind = new ConcurrentHashMap<>();
    private final Set<String> assignedTopics = ConcurrentHashMap.newKeySet();
    private final CountDownLatch whole = new CountDownLatch(1);
    // An assignment of no partition names no topic, but it still means the group answered.
    private volatile boolean anyAssigned;

    /**
     * @param view what is being built, for the logs ("fleet view")
     * @param required the topics that must each have been assigned before the view can be whole; none: the first
     *     assignment of any topic will do
     */
    public StreamCatchUp(String view, Set<String> required) {
        this(view, required, ASSIGNMENT_PATIENCE);
    }

    StreamCatchUp(String view, Set<String> required, Duration patience) {
        this.view = view;
        this.required = Set.copyOf(required);
        this.patience = patience;
    }

    /**
     * Partitions were assigned to a consumer: notes where each one whose position is still before its end ends now,
     * from the consumer itself (on its polling thread, inside the rebalance listener, as Kafka requires).
     */
    public void assigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Set<String> topics = new TreeSet<>();
        partitions.forEach(tp -> topics.add(tp.topic()));
        assigned(topics, behindTheirEnds(consumer, partitions));
    }

    /**
     * The partitions whose position is before their end, with that end. The broker may be away when partitions are
     * assigned (a restart, a network split): the lookup is asked again for up to {@code patience}, here on the polling
     * thread, which could fetch nothing meanwhile anyway. Thrown out of the listener, the timeout would fail the
     * channel and leave the view waiting for good.
     */
    private Map<TopicPartition, Long> behindTheirEnds(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        long giveUpAt = System.nanoTime() + patience.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, LOOKUP_TIMEOUT);
                Map<TopicPartition, Long> toReach = new HashMap<>();
                for (TopicPartition tp : partitions) {
                    long end = ends.getOrDefault(tp, 0L);
                    if (consumer.position(tp, LOOKUP_TIMEOUT) < end) {
                        toReach.put(tp, end);
                    }
                }
                return toReach;
            } catch (TimeoutException e) {
                if (System.nanoTime() - giveUpAt > 0) {
                    throw e;
                }
                LOG.warnf(
                        "%s: could not learn where %s end (attempt %d: %s); asking again, the view is not whole"
                                + " until it knows",
                        view, partitions, attempt, e.getMessage());
            }
        }
    }

    /**
     * Partitions of {@code topics} were assigned; {@code toReach} holds the end offset of each whose position is still
     * before it (the others are read already).
     */
    public void assigned(Collection<String> topics, Map<TopicPartition, Long> toReach) {
        behind.putAll(toReach);
        assignedTopics.addAll(topics);
        anyAssigned = true;
        LOG.infof("%s: %s assigned, %d partitions to catch up", view, topics, toReach.size());
        check();
    }

    /** A record the view read. */
    public void read(String topic, int partition, long offset) {
        if (behind.isEmpty()) {
            return;
        }
        TopicPartition tp = new TopicPartition(topic, partition);
        Long end = behind.get(tp);
        if (end != null && offset + 1 >= end && behind.remove(tp, end)) {
            check();
        }
    }

    /** Whether every required topic was assigned (any, when none is required) and read up to where it ended then. */
    public boolean caughtUp() {
        boolean assigned = required.isEmpty() ? anyAssigned : assignedTopics.containsAll(required);
        return assigned && behind.isEmpty();
    }

    /** The topics still being read or not yet assigned, for readiness to tell. */
    public Set<String> pending() {
        Set<String> pending = new TreeSet<>();
        required.stream().filter(t -> !assignedTopics.contains(t)).forEach(pending::add);
        behind.keySet().forEach(tp -> pending.add(tp.topic()));
        return Set.copyOf(pending);
    }

    /** Waits until the view caught up, at most {@code timeout}; whether it did. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return whole.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void check() {
        if (whole.getCount() > 0 && caughtUp()) {
            whole.countDown();
            LOG.infof("%s caught up with its topics", view);
        }
    }
}
