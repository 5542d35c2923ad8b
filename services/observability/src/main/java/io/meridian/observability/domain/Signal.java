package io.meridian.observability.domain;

import java.util.Arrays;
import java.util.Optional;

/** Fleet-level signals computed from inventory status, scraped metrics and other services' events. */
public enum Signal {
    /** 1 when inventory reports the cluster Unreachable, else 0; per cluster. */
    CLUSTER_UNREACHABLE("cluster_unreachable"),
    /** 1 when a node is not Ready (or its cluster is unreachable, so readiness is unknown), else 0; per node. */
    NODE_NOT_READY("node_not_ready"),
    /** Sum of node CPU usage over the cluster's allocatable CPU; per cluster. */
    CLUSTER_CPU_SATURATION("cluster_cpu_saturation"),
    /** Sum of node memory usage over the cluster's allocatable memory; per cluster. */
    CLUSTER_MEMORY_SATURATION("cluster_memory_saturation"),
    /** Container restarts within the crash-loop window; per container. */
    CONTAINER_RESTARTS_INCREASE("container_restarts_increase"),
    /** Open policy violations; per cluster. */
    CLUSTER_OPEN_VIOLATIONS("cluster_open_violations"),
    /** Objects whose last apply failed or conflicted; per owner and cluster. */
    SYNC_FAILED_OBJECTS("sync_failed_objects"),
    /** Spend to date over the budget amount, from the latest budget event; per budget. */
    BUDGET_SPEND_RATIO("budget_spend_ratio"),
    /** Forecast spend over the budget amount, from the latest budget event; per budget. */
    BUDGET_FORECAST_RATIO("budget_forecast_ratio"),
    /**
     * 1 while the latest rollout fact of a placed workload is a halt, with the cluster and Kubernetes condition it
     * halted at; per workload.
     */
    WORKLOAD_ROLLOUT_HALTED("workload_rollout_halted"),
    /** 1 per cluster whose loss a workload's failover was held back for, waiting for an operator; per workload. */
    WORKLOAD_FAILOVER_SUPPRESSED("workload_failover_suppressed"),
    /** 1 while a workload's decision says Degraded (spread rules unmet), per cluster it was displaced from. */
    WORKLOAD_DEGRADED("workload_degraded");

    private final String wireName;

    Signal(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Signal> of(String wireName) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(wireName)).findFirst();
    }

    public static String wireNames() {
        return String.join(", ", Arrays.stream(values()).map(Signal::wireName).toList());
    }
}
