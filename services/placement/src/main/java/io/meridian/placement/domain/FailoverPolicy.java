package io.meridian.placement.domain;

import java.time.Duration;

/**
 * When a workload's share moves away from a cluster and back: after the cluster is Unreachable or not Ready for
 * {@code after}, or the workload unavailable there for {@code unhealthyAfter}; never when more than {@code
 * maxFraction} of its clusters (only counted for a workload on at least {@link #FRACTION_FLOOR} clusters) or half the
 * fleet (only for a fleet of at least {@link #HALF_FLEET_FLOOR} clusters) vanish at once; back automatically after
 * {@code stableFor}, or by an operator (always by an operator when the workload, not the cluster, was unhealthy).
 */
public record FailoverPolicy(
        Duration after, Duration unhealthyAfter, double maxFraction, Failback failback, Duration stableFor) {

    /**
     * The fewest clusters a workload must run on for {@code maxFraction} to hold a failover back: on one or two
     * clusters any loss is more than a third, and an ordinary outage must still fail over.
     */
    public static final int FRACTION_FLOOR = 3;

    /** The smallest fleet where half of it gone holds a failover back: in a 2-cluster fleet one loss is half. */
    public static final int HALF_FLEET_FLOOR = 4;

    public static final FailoverPolicy DEFAULT = new FailoverPolicy(
            Duration.ofSeconds(30), Duration.ofMinutes(5), 1.0 / 3, Failback.AUTOMATIC, Duration.ofMinutes(5));

    /** Whether a returned cluster gets its share back by itself. */
    public enum Failback {
        AUTOMATIC,
        MANUAL
    }
}
