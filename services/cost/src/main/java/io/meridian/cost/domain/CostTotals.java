package io.meridian.cost.domain;

/** Summed costs of a group of allocations; {@code idleCost} is the part that is idle capacity. */
public record CostTotals(
        double cpuCost,
        double ramCost,
        double gpuCost,
        double pvCost,
        double networkCost,
        double sharedCost,
        double idleCost,
        double totalCost) {

    public static final CostTotals ZERO = new CostTotals(0, 0, 0, 0, 0, 0, 0, 0);

    public static CostTotals of(Allocation a) {
        return new CostTotals(
                a.cpuCost(),
                a.ramCost(),
                a.gpuCost(),
                a.pvCost(),
                a.networkCost(),
                a.sharedCost(),
                a.idle() ? a.totalCost() : 0,
                a.totalCost());
    }

    public CostTotals plus(CostTotals o) {
        return new CostTotals(
                cpuCost + o.cpuCost,
                ramCost + o.ramCost,
                gpuCost + o.gpuCost,
                pvCost + o.pvCost,
                networkCost + o.networkCost,
                sharedCost + o.sharedCost,
                idleCost + o.idleCost,
                totalCost + o.totalCost);
    }
}
