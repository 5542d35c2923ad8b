package io.meridian.contracts.fleet;

import io.meridian.contracts.cost.ClusterRatesPublished;
import java.util.Objects;

/** What one record of {@code fleet.cost.v1} tells a reader of cluster rates, as {@link FleetStreams#ratesEvent} reads it. */
public sealed interface RatesEvent {

    /** A cluster's current rates: they replace what the reader had for the cluster. */
    record Published(ClusterRatesPublished rates) implements RatesEvent {
        public Published {
            Objects.requireNonNull(rates, "rates");
        }
    }

    /** The tombstone of a rates key: the cluster has no rates any more (it was deregistered, say). */
    record Withdrawn(String clusterId) implements RatesEvent {
        public Withdrawn {
            Objects.requireNonNull(clusterId, "clusterId");
        }
    }

    /**
     * Another fact of the topic (a cost summary, a budget event, or the tombstone of a scope): nothing to do for a
     * reader of rates, and nothing to count, unlike {@link Skipped}.
     */
    record Unrelated(String key, String type) implements RatesEvent {
        public Unrelated {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(type, "type");
        }
    }

    /** A record with nothing to act on because of a version skew, such as a newer producer's type: count it. */
    record Skipped(String type, String reason) implements RatesEvent {
        public Skipped {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
