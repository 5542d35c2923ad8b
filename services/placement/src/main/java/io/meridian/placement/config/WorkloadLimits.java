package io.meridian.placement.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How large one workload may be ({@code meridian.placement.workloads.*}). */
@ConfigMapping(prefix = "meridian.placement.workloads")
public interface WorkloadLimits {

    /** The most manifests one workload may hold. */
    @WithDefault("100")
    int maxObjects();

    /** The most overrides one workload may hold. */
    @WithDefault("100")
    int maxOverrides();

    /**
     * The most bytes the manifests and overrides of one workload may take together, as JSON (the rendered objects of
     * a workload on a cluster are its manifests with overrides applied, so both count). Every workload on a cluster
     * travels in that cluster's one bundle, a single Kafka record (1 MiB by default), so one workload must stay well
     * below it; this bounds one workload only, not the sum of the workloads that land on the same cluster.
     */
    @WithDefault("262144")
    int maxBytes();
}
