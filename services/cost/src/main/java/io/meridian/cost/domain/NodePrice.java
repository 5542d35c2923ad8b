package io.meridian.cost.domain;

/**
 * The resolved hourly price of one node, split into per-unit rates, with the capacity it was split over and
 * where the price came from ({@code catalog}, {@code override}, {@code onprem}, {@code estimated}).
 */
public record NodePrice(
        double hourly, ResourceRates rates, double cpuCores, double ramGiB, double gpus, boolean spot, String source) {}
