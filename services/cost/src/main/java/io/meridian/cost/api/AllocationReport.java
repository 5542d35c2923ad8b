package io.meridian.cost.api;

import io.meridian.cost.domain.CostTotals;
import java.time.Instant;
import java.util.List;

/**
 * Allocation of a window grouped by one aggregate. {@code total} of the items equals {@code assetTotal}: everything the
 * clusters' assets cost is allocated to a group or to {@code __idle__}.
 */
public record AllocationReport(
        Instant start,
        Instant end,
        String aggregate,
        String currency,
        List<Item> items,
        CostTotals total,
        double assetTotal,
        int closedWindows,
        int openWindows) {

    /** One group. */
    public record Item(String name, CostTotals cost) {}
}
