package io.meridian.cost.domain;

import java.util.Map;

/**
 * What costing needs to know of a node: its instance type, place, capacity (0 when unknown, then the catalog's
 * capacity of the instance type is used) and labels (which say whether it is spot capacity).
 */
public record NodeFacts(
        String name,
        String instanceType,
        String region,
        String zone,
        double cpuCores,
        double ramGiB,
        double gpus,
        Map<String, String> labels) {

    public NodeFacts {
        labels = labels == null ? Map.of() : labels;
    }
}
