package io.meridian.placement.domain;

import java.time.Duration;

/**
 * How a new generation reaches the clusters: first {@code canary} clusters, then waves of at most {@code
 * maxInFlight}, {@code pause} between waves; a cluster not available within {@code healthTimeout} halts the rollout.
 */
public record RolloutStrategy(int canary, MaxInFlight maxInFlight, Duration pause, Duration healthTimeout) {

    public static final RolloutStrategy DEFAULT =
            new RolloutStrategy(1, new MaxInFlight(25, true), Duration.ofSeconds(30), Duration.ofMinutes(5));

    /** A number of clusters, or a percentage of the workload's clusters (rounded up, at least one). */
    public record MaxInFlight(int value, boolean percent) {

        /** The clusters one wave may hold when the workload runs on {@code clusters} clusters. */
        public int clustersPerWave(int clusters) {
            int n = percent ? (int) Math.ceil(clusters * value / 100.0) : value;
            return Math.max(1, n);
        }
    }
}
