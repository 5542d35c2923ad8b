package io.meridian.cost.domain;

import java.util.Map;

/**
 * Amortized prices of machines a company owns: per instance type (purchase, power, space and support spread over
 * the machine's life, per hour), per-unit rates for unknown machines, storage per GiB-month and transit per GB.
 */
public record OnPremPrices(
        Map<String, Double> instanceHourly,
        ResourceRates fallbackRates,
        Map<String, Double> storageGiBMonth,
        double defaultStorageGiBMonth,
        double egressPerGB) {

    public OnPremPrices {
        instanceHourly = instanceHourly == null ? Map.of() : Map.copyOf(instanceHourly);
        storageGiBMonth = storageGiBMonth == null ? Map.of() : Map.copyOf(storageGiBMonth);
    }
}
