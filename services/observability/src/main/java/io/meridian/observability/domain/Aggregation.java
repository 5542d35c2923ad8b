package io.meridian.observability.domain;

import java.util.List;

/** How a metric condition combines series before comparing, like PromQL aggregation operators. */
public enum Aggregation {
    NONE,
    SUM,
    AVG,
    MIN,
    MAX,
    COUNT;

    public double apply(List<Double> values) {
        return switch (this) {
            case NONE, SUM -> values.stream().mapToDouble(Double::doubleValue).sum();
            case AVG ->
                values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            case MIN -> values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
            case MAX -> values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            case COUNT -> values.size();
        };
    }
}
