package io.meridian.cost.domain;

/** What one cluster's assets cost in one window: nodes (split by resource), volumes and data transfer. */
public record ClusterAssets(
        String cluster,
        String cloud,
        String region,
        int nodes,
        double cpuCost,
        double ramCost,
        double gpuCost,
        double pvCost,
        double networkCost) {

    public double nodeCost() {
        return cpuCost + ramCost + gpuCost;
    }

    public double totalCost() {
        return nodeCost() + pvCost + networkCost;
    }
}
