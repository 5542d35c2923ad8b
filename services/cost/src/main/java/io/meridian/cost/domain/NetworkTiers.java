package io.meridian.cost.domain;

import java.util.List;

/** Prices bytes against monthly volume tiers: each GB pays the rate of the tier the month's running total is in. */
public final class NetworkTiers {

    private NetworkTiers() {}

    /**
     * The cost of sending {@code gb} more GB in a month in which {@code priorGB} were already sent.
     * Beyond the last bounded tier the last tier's rate applies.
     */
    public static double cost(List<PriceCatalog.Tier> tiers, double priorGB, double gb) {
        if (gb <= 0 || tiers.isEmpty()) {
            return 0;
        }
        double cost = 0;
        double position = Math.max(0, priorGB);
        double remaining = gb;
        double lower = 0;
        for (PriceCatalog.Tier tier : tiers) {
            double upper = tier.uptoGB() == null ? Double.POSITIVE_INFINITY : tier.uptoGB();
            if (position < upper) {
                double inTier = Math.min(remaining, upper - Math.max(position, lower));
                cost += inTier * tier.perGB();
                remaining -= inTier;
                position += inTier;
                if (remaining <= 0) {
                    return cost;
                }
            }
            lower = upper;
        }
        return cost + remaining * tiers.getLast().perGB();
    }
}
