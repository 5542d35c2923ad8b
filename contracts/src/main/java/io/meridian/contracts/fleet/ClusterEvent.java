package io.meridian.contracts.fleet;

import io.meridian.contracts.EventType;
import io.meridian.contracts.cluster.ClusterSnapshot;
import java.util.Objects;

/** What one record of {@code fleet.clusters.v1} tells a consumer, as {@link FleetStreams#clusterEvent} reads it. */
public sealed interface ClusterEvent {

    /** The cluster as it is now; {@code type} names the change that published it (registered, updated, status). */
    record Snapshot(ClusterSnapshot snapshot, EventType type) implements ClusterEvent {
        public Snapshot {
            Objects.requireNonNull(snapshot, "snapshot");
            Objects.requireNonNull(type, "type");
        }
    }

    /** The cluster is gone: its deregistration, or a tombstone of its key on the compacted topic. */
    record Deregistered(String clusterId) implements ClusterEvent {
        public Deregistered {
            Objects.requireNonNull(clusterId, "clusterId");
        }
    }

    /** A record with nothing to act on, such as a newer producer's event type: count it and go on. */
    record Skipped(String type, String reason) implements ClusterEvent {
        public Skipped {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
