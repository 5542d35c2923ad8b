package io.meridian.eventing.catchup;

import io.meridian.eventing.EventingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Knows when a service's in-memory fleet view has read its streams ({@code meridian.eventing.fleet-view.streams}) up
 * to where they ended when their partitions were assigned. Until then the view is partial (a replica that just started
 * replays the compacted topics from the start): what a service would decide from it (violations, alerts, placements)
 * is older than what other replicas already decided, so it waits, and its readiness says so. The channels that feed
 * the view name {@link FleetViewCatchUpListener} ({@code fleet-catch-up}) as their rebalance listener and report every
 * record they read, evaluated, skipped or dead-lettered.
 */
@ApplicationScoped
public class FleetViewCatchUp {

    private final StreamCatchUp streams;

    @Inject
    FleetViewCatchUp(EventingConfig config) {
        this(Set.copyOf(config.fleetView().streams().orElse(List.of())));
        // Said once, so that a view waiting on a misspelt stream, or on none, shows in the log.
        Logger.getLogger(FleetViewCatchUp.class)
                .infof(
                        "the fleet view counts as caught up once it has read %s",
                        config.fleetView().streams().isEmpty()
                                ? "its first assignment (meridian.eventing.fleet-view.streams is not set)"
                                : String.join(", ", config.fleetView().streams().get()) + " to where they ended");
    }

    /** A view built from {@code streams} (none: the first assignment will do). */
    public FleetViewCatchUp(Set<String> streams) {
        this.streams = new StreamCatchUp("fleet view", streams);
    }

    /** Partitions of a fleet stream were assigned to one of the view's consumers. */
    public void assigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        streams.assigned(consumer, partitions);
    }

    /** A record the view read. */
    public void read(String topic, int partition, long offset) {
        streams.read(topic, partition, offset);
    }

    /** Whether every required stream was assigned and read up to where it ended then. */
    public boolean caughtUp() {
        return streams.caughtUp();
    }

    /** The streams still being read or not yet assigned, for readiness to tell. */
    public Set<String> pending() {
        return streams.pending();
    }

    /** Waits until the view caught up, at most {@code timeout}; whether it did. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return streams.awaitCaughtUp(timeout);
    }
}
