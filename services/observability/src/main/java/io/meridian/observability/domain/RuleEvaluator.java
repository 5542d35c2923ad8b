package io.meridian.observability.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates rules' conditions over the fleet and returns the observations for which they hold. Within one
 * {@link #evaluateAll} each signal and each metric selection is computed once, however many rules use it.
 */
public final class RuleEvaluator {

    private final FleetSignals signals;

    public RuleEvaluator(FleetSignals signals) {
        this.signals = signals;
    }

    /** Every rule's holding observations at {@code now}, in rule order. */
    public List<AlertLifecycle.RuleResult> evaluateAll(List<AlertRule> rules, Instant now) {
        Map<Object, List<Observation>> cache = new HashMap<>();
        List<AlertLifecycle.RuleResult> out = new ArrayList<>(rules.size());
        for (AlertRule rule : rules) {
            out.add(new AlertLifecycle.RuleResult(rule, holding(rule, now, cache)));
        }
        return out;
    }

    public List<Observation> holding(AlertRule rule, Instant now) {
        return holding(rule, now, new HashMap<>());
    }

    private List<Observation> holding(AlertRule rule, Instant now, Map<Object, List<Observation>> cache) {
        List<Observation> values = switch (rule.condition()) {
            case AlertRule.SignalCondition s ->
                cache.computeIfAbsent(s.signal(), k -> signals.signal(s.signal(), now)).stream()
                        .filter(o -> LabelMatcher.all(s.matchers(), o.labels()))
                        .toList();
            case AlertRule.MetricCondition m -> {
                List<Object> selection = List.of(m.metric(), m.increase(), String.valueOf(m.range()));
                List<Object> aggregated = List.of(selection, m.matchers(), m.aggregate(), m.by());
                List<Observation> known = cache.get(aggregated);
                if (known == null) {
                    List<Observation> selected = cache.computeIfAbsent(
                            selection, k -> signals.metric(m.metric(), List.of(), m.increase(), m.range(), now));
                    known = FleetSignals.aggregate(
                            selected.stream()
                                    .filter(o -> LabelMatcher.all(m.matchers(), o.labels()))
                                    .toList(),
                            m.aggregate(),
                            m.by());
                    cache.put(aggregated, known);
                }
                yield known;
            }
        };
        return values.stream()
                .filter(o -> rule.op().test(o.value(), rule.threshold()))
                .toList();
    }
}
