package io.meridian.cost.domain;

import java.util.List;
import java.util.Map;

/** A small catalog with round numbers, so expected costs can be computed by hand. */
final class TestPrices {

    /** CPU core-hour 0.03, GiB-hour 0.005: a 4-core 16-GiB node at 0.20/h splits at exactly these rates. */
    static final ResourceRates BASE = new ResourceRates(0.03, 0.005, 0.9);

    static PriceCatalog catalog() {
        var awsNetwork = new PriceCatalog.NetworkPrices(
                0.02, 0.02, List.of(new PriceCatalog.Tier(1.0, 0.10), new PriceCatalog.Tier(null, 0.05)));
        var aws = new PriceCatalog.CloudPrices(
                Map.of("eks.amazonaws.com/capacityType", "SPOT"),
                0.4,
                awsNetwork,
                Map.of(
                        "us-east-1",
                        new PriceCatalog.RegionPrices(
                                Map.of(
                                        "m.test", new PriceCatalog.InstancePrice(0.20, 4, 16, 0),
                                        "c.test", new PriceCatalog.InstancePrice(0.30, 8, 16, 0)),
                                Map.of("gp3", 0.073))));
        var gcp = new PriceCatalog.CloudPrices(
                Map.of(),
                0.3,
                new PriceCatalog.NetworkPrices(0.01, 0.02, List.of(new PriceCatalog.Tier(null, 0.12))),
                Map.of(
                        "us-central1",
                        new PriceCatalog.RegionPrices(
                                Map.of("n.test", new PriceCatalog.InstancePrice(0.10, 4, 16, 0)),
                                Map.of("pd-balanced", 0.10))));
        return new PriceCatalog("2026-11-01", "USD", List.of("test"), 730, BASE, Map.of("aws", aws, "gcp", gcp));
    }

    static OnPremPrices onPrem() {
        return new OnPremPrices(
                Map.of("metal.test", 1.00), new ResourceRates(0.02, 0.0025, 0.5), Map.of(), 0.0365, 0.01);
    }

    static PriceBook book(PriceOverride... overrides) {
        return new PriceBook(catalog(), List.of(overrides), onPrem());
    }

    private TestPrices() {}
}
