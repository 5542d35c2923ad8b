package io.meridian.cost.domain;

/**
 * The OpenCost ratio method: when a provider sells a node for one price, the price is split into CPU, RAM
 * and GPU by the relative base prices of the three, scaled so that the parts add up to the node price.
 * E.g. a node with 1 GPU, 1 CPU and 1 GB of RAM at $35 with base prices 30/30/10 splits into 15/15/5.
 */
public final class NodePriceSplit {

    private NodePriceSplit() {}

    /**
     * Per-unit hourly rates for a node.
     *
     * @param nodeHourly what the node costs per hour
     * @param base the relative base prices (only their ratio matters)
     */
    public static ResourceRates split(
            double nodeHourly, double cpuCores, double ramGiB, double gpus, ResourceRates base) {
        double baseTotal = base.hourlyFor(cpuCores, ramGiB, gpus);
        if (baseTotal <= 0 || nodeHourly <= 0) {
            return ResourceRates.ZERO;
        }
        double scale = nodeHourly / baseTotal;
        return new ResourceRates(base.cpuCoreHour() * scale, base.ramGiBHour() * scale, base.gpuHour() * scale);
    }
}
