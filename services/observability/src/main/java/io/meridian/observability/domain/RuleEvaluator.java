package io.meridian.observability.domain;

import java.time.Instant;
import java.util.List;

/** Evaluates a rule's condition over the fleet and returns the observations for which it holds. */
public final class RuleEvaluator {

    private final FleetSignals signals;

    public RuleEvaluator(FleetSignals signals) {
        this.signals = signals;
    }

    public List<Observation> holding(AlertRule rule, Instant now) {
        List<Observation> values = switch (rule.condition()) {
            case AlertRule.SignalCondition s ->
                signals.signal(s.signal(), now).stream()
                        .filter(o -> LabelMatcher.all(s.matchers(), o.labels()))
                        .toList();
            case AlertRule.MetricCondition m ->
                FleetSignals.aggregate(
                        signals.metric(m.metric(), m.matchers(), m.increase(), m.range(), now), m.aggregate(), m.by());
        };
        return values.stream()
                .filter(o -> rule.op().test(o.value(), rule.threshold()))
                .toList();
    }
}
