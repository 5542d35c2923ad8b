package io.meridian.observability.domain;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A validated alert rule: when the condition compared with the threshold holds for {@code forDuration}, it fires.
 *
 * @param annotations templates of the alert's annotations besides its summary, by name
 */
public record AlertRule(
        String name,
        Condition condition,
        Comparison op,
        double threshold,
        Duration forDuration,
        String severity,
        Map<String, String> labels,
        String summary,
        Map<String, String> annotations,
        boolean builtIn,
        RuleSpec spec) {

    public AlertRule {
        labels = Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    /** What a rule looks at. */
    public sealed interface Condition permits SignalCondition, MetricCondition {}

    /** A fleet signal, optionally narrowed by matchers. */
    public record SignalCondition(Signal signal, List<LabelMatcher> matchers) implements Condition {}

    /** A scraped metric's latest value or increase over {@code range}, optionally aggregated by labels. */
    public record MetricCondition(
            String metric,
            boolean increase,
            Duration range,
            List<LabelMatcher> matchers,
            Aggregation aggregate,
            List<String> by)
            implements Condition {}
}
