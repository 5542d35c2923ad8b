package io.meridian.placement.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the placement service's reconciler ({@code meridian.placement.*}). */
@ConfigMapping(prefix = "meridian.placement")
public interface PlacementConfig {

    /** Threads that reconcile workloads, one workload at a time each. */
    @WithDefault("2")
    int workers();

    /** The first pause before a failed reconcile is retried; it doubles up to the resync period. */
    @WithDefault("500ms")
    Duration retryBackoff();

    /**
     * How long after a fleet event (an object's status, a sync report, a cluster's health) the workloads it touches
     * are reconciled: the same change on a workload's other clusters arrives meanwhile and is looked at in the same
     * reconcile. It delays what placement sees of the fleet by at most this; 0 reconciles on every event.
     */
    @WithDefault("250ms")
    Duration fleetEventSettle();

    /** How often every workload is reconciled even when no event came. */
    @WithDefault("30s")
    Duration resyncPeriod();

    /**
     * The most bytes one cluster's placement bundle may hold: its objects as JSON, UTF-8, uncompressed. Every workload
     * placed on a cluster travels in that cluster's one bundle, a single record on the desired topic, which carries at
     * most {@code max.message.bytes} (the broker's default, 1 MiB, since the catalog sets none; the producer's {@code
     * max.request.size} is 1 MiB too, and placement's producer does not compress). The default, 768 KiB, leaves a
     * quarter of that for the CloudEvent envelope and headers; counting uncompressed bytes keeps the bound true whether
     * or not a producer compresses. A workload that would not fit beside the others is not placed there.
     */
    @WithDefault("786432")
    long bundleMaxBytes();

    /**
     * How many of a workload's newest generations its revision history keeps (at least 2, since a rollback copies the
     * previous one); older ones go unless a cluster, the rollout or the last decision still refers to them.
     */
    @WithDefault("20")
    int revisionsKept();

    /**
     * How long the fleet view keeps what the resource or cost streams said of a cluster that is not registered (gone,
     * or its registration not read yet) before it forgets it: long enough for the streams to be read after a start.
     */
    @WithDefault("10m")
    Duration unregisteredClusterTtl();
}
