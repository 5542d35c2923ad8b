package io.meridian.cost.domain;

import java.time.Instant;
import java.util.List;

/** The allocation of one window: per pod (and idle per cluster), the assets it adds up to, and the traffic priced. */
public record WindowAllocation(
        Instant start,
        Instant end,
        List<Allocation> allocations,
        List<ClusterAssets> assets,
        List<TrafficCost> traffic) {

    public double assetTotal() {
        return assets.stream().mapToDouble(ClusterAssets::totalCost).sum();
    }

    public double allocatedTotal() {
        return allocations.stream().mapToDouble(Allocation::totalCost).sum();
    }
}
