package io.meridian.cost.api;

import io.meridian.cost.domain.OnPremPrices;
import io.meridian.cost.domain.PriceCatalog;
import io.meridian.cost.domain.PriceOverride;
import java.util.List;

/** The prices in force: the catalog snapshot, the on-prem configuration and the operators' overrides. */
public record PriceView(
        String date,
        String currency,
        List<String> sources,
        double hoursPerMonth,
        PriceCatalog catalog,
        OnPremPrices onprem,
        List<OverrideView> overrides) {

    /** One override with its id (for deletion). */
    public record OverrideView(String id, String kind, String cloud, String region, String key, double price) {

        static OverrideView of(PriceOverride o) {
            return new OverrideView(o.id(), o.kind().name(), o.cloud(), o.region(), o.key(), o.price());
        }
    }
}
