package io.meridian.observability.domain;

import java.util.Map;
import java.util.TreeMap;

/** One labelled value of a fleet signal or metric at evaluation time. */
public record Observation(Map<String, String> labels, double value) {
    public Observation {
        labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    }
}
