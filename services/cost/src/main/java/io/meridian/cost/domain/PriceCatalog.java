package io.meridian.cost.domain;

import java.util.List;
import java.util.Map;

/**
 * A dated snapshot of public list prices (on-demand instances, storage, data transfer) per cloud and region,
 * with the relative base prices the OpenCost ratio method splits node prices by.
 *
 * @param ratioBase relative prices of a CPU core-hour, a GiB-hour of RAM and a GPU-hour (only the ratio matters)
 */
public record PriceCatalog(
        String date,
        String currency,
        List<String> sources,
        double hoursPerMonth,
        ResourceRates ratioBase,
        Map<String, CloudPrices> clouds) {

    public PriceCatalog {
        sources = sources == null ? List.of() : List.copyOf(sources);
        clouds = clouds == null ? Map.of() : Map.copyOf(clouds);
        hoursPerMonth = hoursPerMonth <= 0 ? 730 : hoursPerMonth;
    }

    /**
     * One cloud's prices.
     *
     * @param spotFactor the share of the on-demand price a spot or preemptible node costs (e.g. 0.35)
     * @param spotLabels node labels (key to value, case-insensitive) that mark spot capacity on this cloud
     */
    public record CloudPrices(
            Map<String, String> spotLabels,
            double spotFactor,
            NetworkPrices network,
            Map<String, RegionPrices> regions) {

        public CloudPrices {
            spotLabels = spotLabels == null ? Map.of() : Map.copyOf(spotLabels);
            regions = regions == null ? Map.of() : Map.copyOf(regions);
            network = network == null ? NetworkPrices.FREE : network;
        }
    }

    /** Instances (per hour) and storage classes (per GiB-month) of one region. */
    public record RegionPrices(Map<String, InstancePrice> instances, Map<String, Double> storage) {

        public RegionPrices {
            instances = instances == null ? Map.of() : Map.copyOf(instances);
            storage = storage == null ? Map.of() : Map.copyOf(storage);
        }
    }

    /** An instance type's on-demand hourly price and capacity. */
    public record InstancePrice(double hourly, double cpu, double ramGiB, double gpu) {}

    /**
     * Data-transfer prices per GB (10^9 bytes) sent: to another zone, to another region of the same cloud, and out
     * to the internet (another cloud) in monthly volume tiers.
     */
    public record NetworkPrices(double crossZonePerGB, double crossRegionPerGB, List<Tier> internetTiers) {

        public static final NetworkPrices FREE = new NetworkPrices(0, 0, List.of());

        public NetworkPrices {
            internetTiers = internetTiers == null ? List.of() : List.copyOf(internetTiers);
        }
    }

    /** A volume tier: the price per GB of the month's egress up to {@code uptoGB} (null: no upper bound). */
    public record Tier(Double uptoGB, double perGB) {}
}
