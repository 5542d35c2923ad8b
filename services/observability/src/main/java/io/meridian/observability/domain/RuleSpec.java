package io.meridian.observability.domain;

import java.util.List;
import java.util.Map;

/**
 * An alert rule as users write it (REST body and stored form). {@code condition} names either a fleet
 * {@code signal} or a scraped {@code metric}; {@code for} is an ISO-8601 or Prometheus-style duration
 * ({@code 90s}, {@code 5m}, {@code 1h}). {@code summary} and the optional {@code annotations} (e.g. {@code action}:
 * what to do next) are templates filled with the alert's labels and value, as in Prometheus rules.
 */
public record RuleSpec(
        String name,
        ConditionSpec condition,
        String op,
        Double threshold,

        @com.fasterxml.jackson.annotation.JsonProperty("for")
        String forDuration,

        String severity,
        Map<String, String> labels,
        String summary,
        Map<String, String> annotations) {

    /** A rule without annotations beyond its summary. */
    public RuleSpec(
            String name,
            ConditionSpec condition,
            String op,
            Double threshold,
            String forDuration,
            String severity,
            Map<String, String> labels,
            String summary) {
        this(name, condition, op, threshold, forDuration, severity, labels, summary, null);
    }

    /** The condition: a signal, or a metric with an optional function, range, matchers and aggregation. */
    public record ConditionSpec(
            String signal,
            String metric,
            String function,
            String range,
            List<MatcherSpec> matchers,
            String aggregate,
            List<String> by) {}

    /** A label matcher: {@code label}, {@code op} (=, !=, =~, !~), {@code value}. */
    public record MatcherSpec(String label, String op, String value) {}
}
