package io.meridian.cost.domain;

import java.util.Map;

/**
 * The cost of one pod in one window, split by resource; or, when {@code idle}, the part of one cluster's assets
 * no workload was allocated ({@code namespace} and {@code pod} are then {@link #IDLE}). {@code sharedCost} is this
 * pod's part of the shared namespaces' cost.
 */
public record Allocation(
        String cluster,
        String cloud,
        String region,
        String namespace,
        String pod,
        String workloadKind,
        String workloadName,
        String node,
        Map<String, String> labels,
        double cpuCoreHours,
        double ramGiBHours,
        double cpuCost,
        double ramCost,
        double gpuCost,
        double pvCost,
        double networkCost,
        double sharedCost,
        boolean idle) {

    /** The name OpenCost gives the unallocated part of a cluster. */
    public static final String IDLE = "__idle__";

    public double totalCost() {
        return cpuCost + ramCost + gpuCost + pvCost + networkCost + sharedCost;
    }

    Allocation plus(double network, double shared) {
        return new Allocation(
                cluster,
                cloud,
                region,
                namespace,
                pod,
                workloadKind,
                workloadName,
                node,
                labels,
                cpuCoreHours,
                ramGiBHours,
                cpuCost,
                ramCost,
                gpuCost,
                pvCost,
                networkCost + network,
                sharedCost + shared,
                idle);
    }
}
