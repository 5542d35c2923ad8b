package io.meridian.cost.domain;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves prices from the catalog, the operators' overrides and the on-prem configuration: what a node costs per
 * hour (split into CPU, RAM and GPU by the OpenCost ratio), a storage class per GiB-hour, a cloud's transfer prices.
 * Immutable; a new book is made when overrides change.
 */
public final class PriceBook {

    private static final String ONPREM = "onprem";
    private static final PriceCatalog.CloudPrices NO_CLOUD =
            new PriceCatalog.CloudPrices(Map.of(), 1.0, PriceCatalog.NetworkPrices.FREE, Map.of());

    private final PriceCatalog catalog;
    private final List<PriceOverride> overrides;
    private final OnPremPrices onPrem;

    public PriceBook(PriceCatalog catalog, List<PriceOverride> overrides, OnPremPrices onPrem) {
        this.catalog = catalog;
        this.overrides = List.copyOf(overrides);
        this.onPrem = onPrem;
    }

    public PriceCatalog catalog() {
        return catalog;
    }

    public List<PriceOverride> overrides() {
        return overrides;
    }

    public OnPremPrices onPrem() {
        return onPrem;
    }

    public String currency() {
        return catalog.currency();
    }

    public double hoursPerMonth() {
        return catalog.hoursPerMonth();
    }

    /** The hourly price of a node of a cluster in {@code cloud}/{@code region}, split per resource. */
    public NodePrice node(String cloud, String clusterRegion, NodeFacts node) {
        String region = node.region() != null ? node.region() : clusterRegion;
        PriceCatalog.CloudPrices prices = cloudPrices(cloud);
        Optional<PriceCatalog.InstancePrice> listed = instance(prices, region, node.instanceType());
        double cpu = node.cpuCores() > 0
                ? node.cpuCores()
                : listed.map(PriceCatalog.InstancePrice::cpu).orElse(0.0);
        double ram = node.ramGiB() > 0
                ? node.ramGiB()
                : listed.map(PriceCatalog.InstancePrice::ramGiB).orElse(0.0);
        double gpu = node.gpus() > 0
                ? node.gpus()
                : listed.map(PriceCatalog.InstancePrice::gpu).orElse(0.0);
        boolean spot = SpotCapacity.isSpot(node.labels(), prices.spotLabels());

        Optional<PriceOverride> override = override(PriceOverride.Kind.instance, cloud, region, node.instanceType());
        double hourly;
        String source;
        if (override.isPresent()) {
            hourly = override.get().price();
            source = "override";
        } else if (ONPREM.equals(cloud)) {
            Double amortized =
                    node.instanceType() == null ? null : onPrem.instanceHourly().get(node.instanceType());
            hourly = amortized != null ? amortized : onPrem.fallbackRates().hourlyFor(cpu, ram, gpu);
            source = amortized != null ? "onprem" : "estimated";
        } else if (listed.isPresent()) {
            hourly = listed.get().hourly();
            source = "catalog";
        } else {
            // An instance type the snapshot does not list: priced by the base rates, and said so.
            hourly = catalog.ratioBase().hourlyFor(cpu, ram, gpu);
            source = "estimated";
        }
        if (spot) {
            hourly *= spotFactor(cloud, region);
        }
        ResourceRates rates = NodePriceSplit.split(hourly, cpu, ram, gpu, catalog.ratioBase());
        return new NodePrice(hourly, rates, cpu, ram, gpu, spot, source);
    }

    /** The share of the on-demand price a spot node of the cloud costs. */
    public double spotFactor(String cloud, String region) {
        return override(PriceOverride.Kind.spot, cloud, region, "factor")
                .map(PriceOverride::price)
                .orElse(cloudPrices(cloud).spotFactor() > 0 ? cloudPrices(cloud).spotFactor() : 1.0);
    }

    /** A storage class's price per GiB-hour in a region; unknown classes cost the region's cheapest known class. */
    public double storageGiBHour(String cloud, String region, String storageClass) {
        return storageGiBMonth(cloud, region, storageClass) / catalog.hoursPerMonth();
    }

    double storageGiBMonth(String cloud, String region, String storageClass) {
        Optional<PriceOverride> override = override(PriceOverride.Kind.storage, cloud, region, storageClass);
        if (override.isPresent()) {
            return override.get().price();
        }
        if (ONPREM.equals(cloud)) {
            return onPrem.storageGiBMonth().getOrDefault(storageClass, onPrem.defaultStorageGiBMonth());
        }
        PriceCatalog.RegionPrices regionPrices = regionPrices(cloudPrices(cloud), region);
        if (regionPrices == null) {
            return 0;
        }
        Double price = storageClass == null ? null : regionPrices.storage().get(storageClass);
        if (price != null) {
            return price;
        }
        return regionPrices.storage().values().stream()
                .mapToDouble(Double::doubleValue)
                .min()
                .orElse(0);
    }

    /** The transfer prices of traffic leaving a cluster of this cloud. */
    public PriceCatalog.NetworkPrices network(String cloud) {
        if (ONPREM.equals(cloud)) {
            return new PriceCatalog.NetworkPrices(
                    0, onPrem.egressPerGB(), List.of(new PriceCatalog.Tier(null, onPrem.egressPerGB())));
        }
        return cloudPrices(cloud).network();
    }

    /**
     * The cheapest price the cloud asks for one ratio-weighted unit of capacity, over all its listed instances and
     * regions: multiplied by a workload's base-rated hourly size it estimates what the workload would cost there.
     */
    public Map<String, Double> cheapestScaleByCloud() {
        Map<String, Double> out = new java.util.TreeMap<>();
        catalog.clouds()
                .forEach((cloud, prices) -> prices.regions()
                        .forEach((region, regionPrices) -> regionPrices
                                .instances()
                                .forEach((type, price) -> {
                                    double base =
                                            catalog.ratioBase().hourlyFor(price.cpu(), price.ramGiB(), price.gpu());
                                    if (base > 0) {
                                        double hourly = override(PriceOverride.Kind.instance, cloud, region, type)
                                                .map(PriceOverride::price)
                                                .orElse(price.hourly());
                                        out.merge(cloud, hourly / base, Math::min);
                                    }
                                })));
        return out;
    }

    private PriceCatalog.CloudPrices cloudPrices(String cloud) {
        return catalog.clouds().getOrDefault(cloud, NO_CLOUD);
    }

    private static PriceCatalog.RegionPrices regionPrices(PriceCatalog.CloudPrices prices, String region) {
        PriceCatalog.RegionPrices exact =
                region == null ? null : prices.regions().get(region);
        if (exact != null) {
            return exact;
        }
        // A region the snapshot does not list: the first listed region of the cloud stands in.
        return prices.regions().values().stream().findFirst().orElse(null);
    }

    private static Optional<PriceCatalog.InstancePrice> instance(
            PriceCatalog.CloudPrices prices, String region, String type) {
        if (type == null) {
            return Optional.empty();
        }
        PriceCatalog.RegionPrices exact =
                region == null ? null : prices.regions().get(region);
        if (exact != null && exact.instances().containsKey(type)) {
            return Optional.of(exact.instances().get(type));
        }
        return prices.regions().values().stream()
                .map(r -> r.instances().get(type))
                .filter(java.util.Objects::nonNull)
                .findFirst();
    }

    private Optional<PriceOverride> override(PriceOverride.Kind kind, String cloud, String region, String key) {
        if (key == null) {
            return Optional.empty();
        }
        PriceOverride regional = null;
        PriceOverride cloudWide = null;
        for (PriceOverride o : overrides) {
            if (o.matches(kind, cloud, region, key)) {
                if (o.region().equals(PriceOverride.ANY_REGION)) {
                    cloudWide = o;
                } else {
                    regional = o;
                }
            }
        }
        // A region's own override wins over a cloud-wide one.
        return Optional.ofNullable(regional != null ? regional : cloudWide);
    }
}
