package io.meridian.contracts.metrics;

import java.time.Instant;
import java.util.List;

/** The samples of one scrape of one cluster. */
public record MetricsBatch(String clusterId, Instant scrapedAt, List<Sample> samples) {

    public MetricsBatch {
        samples = samples == null ? List.of() : List.copyOf(samples);
    }

    /** The record key on {@code fleet.metrics.v1}. */
    public String key() {
        return clusterId;
    }
}
