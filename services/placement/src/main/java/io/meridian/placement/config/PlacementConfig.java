package io.meridian.placement.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

// NOTE to the engineer who owns this file (reconcile/messaging): at 23:40 engineer A (workload API) overwrote the
// PlacementConfig you had just created, by mistake, and its content was lost. This is a reconstruction from what
// PlacementReconciler calls (workers, retryBackoff, resyncPeriod); the defaults are guesses: please check them and
// restore anything else you had. The workload limits live in WorkloadLimits (prefix meridian.placement.workloads).

/** Settings of the placement service's reconciler ({@code meridian.placement.*}). */
@ConfigMapping(prefix = "meridian.placement")
public interface PlacementConfig {

    /** Threads that reconcile workloads, one workload at a time each. */
    @WithDefault("2")
    int workers();

    /** The first pause before a failed reconcile is retried; it doubles up to the resync period. */
    @WithDefault("500ms")
    Duration retryBackoff();

    /** How often every workload is reconciled even when no event came. */
    @WithDefault("30s")
    Duration resyncPeriod();
}
