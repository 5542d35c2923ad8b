package io.meridian.contracts.metrics;

import java.time.Instant;
import java.util.Map;

/** One value of one metric series, Prometheus style; the value must be finite to be written as JSON. */
public record Sample(String metric, Map<String, String> labels, double value, Instant timestamp) {

    public Sample {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
