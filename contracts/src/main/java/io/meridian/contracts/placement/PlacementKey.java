package io.meridian.contracts.placement;

import java.util.Objects;
import java.util.Optional;

/**
 * A record key of {@code fleet.placement.v1}: the workload name alone for its decision, {@code <workload>/rollout} for
 * its rollout and {@code <workload>/failover} for its failovers. The topic is compacted, which keeps only the latest
 * record per key: under one key per workload the next rollout event would let compaction drop the decision that a late
 * subscriber needs most. With three keys it keeps the latest decision, the latest rollout fact and the latest failover
 * fact of every workload; the history of every step is in placement's audit topic, {@code fleet.audit.placement.v1}.
 */
public record PlacementKey(String workload, Aspect aspect) {

    /** Which of a workload's three facts a key holds. */
    public enum Aspect {
        DECISION(""),
        ROLLOUT("/rollout"),
        FAILOVER("/failover");

        private final String suffix;

        Aspect(String suffix) {
            this.suffix = suffix;
        }

        /** What follows the workload name in the key: nothing, {@code /rollout} or {@code /failover}. */
        public String suffix() {
            return suffix;
        }
    }

    public PlacementKey {
        Objects.requireNonNull(aspect, "aspect");
        // Workload names are DNS labels; a slash would make the key ambiguous.
        if (workload == null || workload.isBlank() || workload.indexOf('/') >= 0) {
            throw new IllegalArgumentException("a workload name is not blank and has no '/': '" + workload + "'");
        }
    }

    public static PlacementKey decision(String workload) {
        return new PlacementKey(workload, Aspect.DECISION);
    }

    public static PlacementKey rollout(String workload) {
        return new PlacementKey(workload, Aspect.ROLLOUT);
    }

    public static PlacementKey failover(String workload) {
        return new PlacementKey(workload, Aspect.FAILOVER);
    }

    /** The key as it travels, e.g. {@code checkout/rollout}. */
    public String value() {
        return workload + aspect.suffix;
    }

    /** The key of a record, if it is one of the three shapes; a newer producer's other shapes are empty. */
    public static Optional<PlacementKey> parse(String key) {
        if (key == null || key.isBlank()) {
            return Optional.empty();
        }
        int slash = key.indexOf('/');
        if (slash < 0) {
            return Optional.of(decision(key));
        }
        if (slash == 0) {
            return Optional.empty();
        }
        String suffix = key.substring(slash);
        for (Aspect aspect : Aspect.values()) {
            if (aspect != Aspect.DECISION && aspect.suffix.equals(suffix)) {
                return Optional.of(new PlacementKey(key.substring(0, slash), aspect));
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return value();
    }
}
