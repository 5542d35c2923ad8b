package io.meridian.contracts.fleet;

import io.meridian.contracts.EventType;
import io.meridian.contracts.placement.PlacementFact;
import io.meridian.contracts.placement.PlacementKey;
import java.util.Objects;

/** What one record of {@code fleet.placement.v1} tells a consumer, as {@link FleetStreams#placementEvent} reads it. */
public sealed interface PlacementEvent {

    /**
     * The latest fact under its key: a decision, a rollout step or a failover step. {@code type} tells the facts that
     * share one record apart (a failover started, completed, or a failback completed).
     */
    record Published(EventType type, PlacementFact fact) implements PlacementEvent {
        public Published {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(fact, "fact");
        }
    }

    /** The fact of this key is gone (a tombstone); a removed decision means the workload is gone. */
    record Removed(PlacementKey key) implements PlacementEvent {
        public Removed {
            Objects.requireNonNull(key, "key");
        }
    }

    /** A record with nothing to act on, such as a newer producer's event type: count it and go on. */
    record Skipped(String type, String reason) implements PlacementEvent {
        public Skipped {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
