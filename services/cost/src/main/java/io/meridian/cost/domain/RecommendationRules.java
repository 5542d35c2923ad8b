package io.meridian.cost.domain;

import java.util.Set;

/** Thresholds of the recommendations; see {@code meridian.cost.recommendations.*}. */
public record RecommendationRules(
        double cpuTargetUtilization,
        double ramTargetUtilization,
        double percentile,
        double cpuFloorCores,
        double ramFloorBytes,
        double minMonthlySavings,
        double chattyMonthlyEgress,
        double idleCpuCores,
        double underusedNodeUtilization,
        String portableLabel,
        Set<String> sharedNamespaces) {}
