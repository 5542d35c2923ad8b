package io.meridian.contracts.fleet;

import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.resource.ResyncMarker;
import java.util.Objects;

/** What one record of {@code fleet.resources.v1} tells a consumer, as {@link FleetStreams#resourceEvent} reads it. */
public sealed interface ResourceEvent {

    /** An object as inventory last observed it. */
    record Observed(ObservedResource resource) implements ResourceEvent {
        public Observed {
            Objects.requireNonNull(resource, "resource");
        }
    }

    /** The object of this record key is gone: a tombstone, bare or typed {@code resource.deleted}. */
    record Deleted(String key) implements ResourceEvent {
        public Deleted {
            Objects.requireNonNull(key, "key");
        }
    }

    /** A full relist of one cluster began. */
    record ResyncStarted(ResyncMarker marker) implements ResourceEvent {
        public ResyncStarted {
            Objects.requireNonNull(marker, "marker");
        }
    }

    /** A full relist of one cluster ended: its objects confirmed by an older epoch are gone. */
    record ResyncCompleted(ResyncMarker marker) implements ResourceEvent {
        public ResyncCompleted {
            Objects.requireNonNull(marker, "marker");
        }
    }

    /** A record with nothing to act on, such as a newer producer's event type: count it and go on. */
    record Skipped(String type, String reason) implements ResourceEvent {
        public Skipped {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
