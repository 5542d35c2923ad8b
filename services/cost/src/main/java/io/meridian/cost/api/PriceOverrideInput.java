package io.meridian.cost.api;

/**
 * A price to set: {@code kind} instance (USD per hour), storage (USD per GiB-month) or spot (share of on-demand, key
 * {@code factor}); {@code region} {@code *} (the default) for every region of the cloud.
 */
public record PriceOverrideInput(String kind, String cloud, String region, String key, Double price, String note) {}
