package io.meridian.observability.domain;

import java.time.Instant;
import java.util.List;

/** The fleet's health at one instant: a summary, one entry per cloud and one per cluster. */
public record FleetHealth(Instant at, Summary summary, List<CloudHealth> clouds, List<ClusterHealth> clusters) {

    /** Health levels, worst last. */
    public enum Status {
        healthy,
        unknown,
        warning,
        critical;

        public Status worst(Status other) {
            return other.ordinal() > ordinal() ? other : this;
        }
    }

    /** The one line a portal draws first. */
    public record Summary(
            Status status,
            int clusters,
            int healthy,
            int warning,
            int critical,
            int unknown,
            int nodes,
            Integer nodesReady,
            int crashLoopingContainers,
            int firingAlerts) {}

    /** All clusters of one cloud. */
    public record CloudHealth(
            String cloud,
            Status status,
            int clusters,
            int healthy,
            int warning,
            int critical,
            int unknown,
            int nodes,
            Integer nodesReady,
            Double cpuSaturation,
            Double memorySaturation) {}

    /** One cluster: inventory status, node readiness, crash loops and saturation, and why it is not healthy. */
    public record ClusterHealth(
            String cluster,
            String cloud,
            String region,
            String phase,
            Status status,
            int nodes,
            Integer nodesReady,
            int crashLoopingContainers,
            Double cpuUsageCores,
            double cpuAllocatableCores,
            Double cpuSaturation,
            Double memoryUsageBytes,
            double memoryAllocatableBytes,
            Double memorySaturation,
            boolean metricsFresh,
            List<String> reasons) {}
}
