package io.meridian.contracts.cost;

import java.time.Instant;

/**
 * The cost of one scope ({@code cluster:prod-aws-1}, {@code namespace:prod-aws-1/payments},
 * {@code label:team=payments}) over one window, split by resource; {@code idleCost} is the part of the
 * total paid for capacity nothing requested.
 */
public record CostSummary(
        String scope,
        Instant windowStart,
        Instant windowEnd,
        String currency,
        double cpuCost,
        double memoryCost,
        double gpuCost,
        double storageCost,
        double networkCost,
        double idleCost,
        double totalCost) {

    /** The record key on {@code fleet.cost.v1}. */
    public String key() {
        return scope;
    }
}
