package io.meridian.observability.domain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Validates a {@link RuleSpec} field by field and compiles it into an {@link AlertRule}. */
public final class RuleCompiler {

    /** The compiled rule, or every problem found. */
    public record Result(AlertRule rule, List<FieldProblem> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    public static final Set<String> SEVERITIES = Set.of("info", "warning", "critical");
    static final Pattern RULE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}");
    static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,62}");
    static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]{0,199}");
    static final Duration MAX_FOR = Duration.ofDays(1);
    static final Duration MAX_RANGE = Duration.ofHours(1);
    static final Set<String> RESERVED_LABELS = Set.of("alertname", "severity");
    static final int MAX_ANNOTATIONS = 16;

    private RuleCompiler() {}

    public static Result compile(RuleSpec spec, boolean builtIn) {
        List<FieldProblem> problems = new ArrayList<>();
        if (spec == null) {
            return new Result(null, List.of(new FieldProblem("body", "a rule is required")));
        }
        if (spec.name() == null || !RULE_NAME.matcher(spec.name()).matches()) {
            problems.add(new FieldProblem(
                    "name", "must start with a letter and hold only letters, digits and '_' (at most 63)"));
        }
        AlertRule.Condition condition = condition(spec.condition(), problems);
        Comparison op = null;
        if (spec.op() == null) {
            problems.add(new FieldProblem("op", "is required: one of >, >=, <, <=, ==, !="));
        } else {
            op = Comparison.of(spec.op()).orElse(null);
            if (op == null) {
                problems.add(new FieldProblem("op", "must be one of >, >=, <, <=, ==, !="));
            }
        }
        if (spec.threshold() == null || !Double.isFinite(spec.threshold())) {
            problems.add(new FieldProblem("threshold", "is required and must be a finite number"));
        }
        Duration forDuration = Duration.ZERO;
        if (spec.forDuration() != null) {
            try {
                forDuration = Durations.parse(spec.forDuration());
                if (forDuration.compareTo(MAX_FOR) > 0) {
                    problems.add(new FieldProblem("for", "must be at most 24h"));
                }
            } catch (IllegalArgumentException e) {
                problems.add(new FieldProblem("for", e.getMessage()));
            }
        }
        String severity = spec.severity() == null ? "warning" : spec.severity().toLowerCase(Locale.ROOT);
        if (!SEVERITIES.contains(severity)) {
            problems.add(new FieldProblem("severity", "must be one of info, warning, critical"));
        }
        Map<String, String> labels = spec.labels() == null ? Map.of() : spec.labels();
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (label.getKey() == null || !LABEL_NAME.matcher(label.getKey()).matches()) {
                problems.add(new FieldProblem("labels." + label.getKey(), "is not a valid label name"));
            } else if (RESERVED_LABELS.contains(label.getKey())) {
                problems.add(new FieldProblem("labels." + label.getKey(), "is set by the rule itself"));
            } else if (label.getValue() == null || label.getValue().length() > 256) {
                problems.add(new FieldProblem("labels." + label.getKey(), "needs a value of at most 256 characters"));
            }
        }
        if (spec.summary() == null || spec.summary().isBlank() || spec.summary().length() > 1024) {
            problems.add(new FieldProblem("summary", "is required, at most 1024 characters"));
        }
        Map<String, String> annotations = spec.annotations() == null ? Map.of() : spec.annotations();
        if (annotations.size() > MAX_ANNOTATIONS) {
            problems.add(new FieldProblem("annotations", "must be at most " + MAX_ANNOTATIONS));
        }
        for (Map.Entry<String, String> annotation : annotations.entrySet()) {
            String field = "annotations." + annotation.getKey();
            if (annotation.getKey() == null
                    || !LABEL_NAME.matcher(annotation.getKey()).matches()) {
                problems.add(new FieldProblem(field, "is not a valid annotation name"));
            } else if (annotation.getKey().equals("summary")) {
                problems.add(new FieldProblem(field, "is the rule's summary field"));
            } else if (annotation.getValue() == null
                    || annotation.getValue().isBlank()
                    || annotation.getValue().length() > 1024) {
                problems.add(new FieldProblem(field, "needs a value of at most 1024 characters"));
            }
        }
        if (!problems.isEmpty()) {
            return new Result(null, List.copyOf(problems));
        }
        return new Result(
                new AlertRule(
                        spec.name(),
                        condition,
                        op,
                        spec.threshold(),
                        forDuration,
                        severity,
                        labels,
                        spec.summary(),
                        annotations,
                        builtIn,
                        spec),
                List.of());
    }

    private static AlertRule.Condition condition(RuleSpec.ConditionSpec c, List<FieldProblem> problems) {
        if (c == null) {
            problems.add(new FieldProblem("condition", "is required: a signal or a metric"));
            return null;
        }
        boolean hasSignal = c.signal() != null;
        boolean hasMetric = c.metric() != null;
        if (hasSignal == hasMetric) {
            problems.add(new FieldProblem("condition", "needs exactly one of signal and metric"));
            return null;
        }
        List<LabelMatcher> matchers = matchers(c.matchers(), problems);
        if (hasSignal) {
            Signal signal = Signal.of(c.signal()).orElse(null);
            if (signal == null) {
                problems.add(new FieldProblem("condition.signal", "must be one of " + Signal.wireNames()));
                return null;
            }
            if (c.function() != null || c.range() != null || c.aggregate() != null || c.by() != null) {
                problems.add(new FieldProblem(
                        "condition", "function, range, aggregate and by apply to metric conditions only"));
            }
            return new AlertRule.SignalCondition(signal, matchers);
        }
        if (!METRIC_NAME.matcher(c.metric()).matches()) {
            problems.add(new FieldProblem("condition.metric", "is not a valid Prometheus metric name"));
        }
        boolean increase = false;
        if (c.function() != null) {
            switch (c.function()) {
                case "value" -> increase = false;
                case "increase" -> increase = true;
                default -> problems.add(new FieldProblem("condition.function", "must be value or increase"));
            }
        }
        Duration range = null;
        if (increase) {
            if (c.range() == null) {
                problems.add(new FieldProblem("condition.range", "is required with increase, e.g. 10m"));
            } else {
                try {
                    range = Durations.parse(c.range());
                    if (range.isZero() || range.compareTo(MAX_RANGE) > 0) {
                        problems.add(new FieldProblem("condition.range", "must be above 0 and at most 1h"));
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(new FieldProblem("condition.range", e.getMessage()));
                }
            }
        } else if (c.range() != null) {
            problems.add(new FieldProblem("condition.range", "applies to the increase function only"));
        }
        Aggregation aggregation = Aggregation.NONE;
        if (c.aggregate() != null) {
            try {
                aggregation = Aggregation.valueOf(c.aggregate().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(new FieldProblem("condition.aggregate", "must be one of none, sum, avg, min, max, count"));
            }
        }
        List<String> by = c.by() == null ? List.of() : List.copyOf(c.by());
        for (int i = 0; i < by.size(); i++) {
            if (by.get(i) == null || !LABEL_NAME.matcher(by.get(i)).matches()) {
                problems.add(new FieldProblem("condition.by[" + i + "]", "is not a valid label name"));
            }
        }
        if (!by.isEmpty() && aggregation == Aggregation.NONE) {
            problems.add(new FieldProblem("condition.by", "needs an aggregate"));
        }
        return new AlertRule.MetricCondition(c.metric(), increase, range, matchers, aggregation, by);
    }

    /** Validates matchers; the field names are prefixed with {@code prefix}. */
    public static List<LabelMatcher> matchers(
            List<RuleSpec.MatcherSpec> specs, List<FieldProblem> problems, String prefix) {
        List<LabelMatcher> out = new ArrayList<>();
        if (specs == null) {
            return out;
        }
        for (int i = 0; i < specs.size(); i++) {
            RuleSpec.MatcherSpec m = specs.get(i);
            String field = prefix + "[" + i + "]";
            if (m == null || m.label() == null || !LABEL_NAME.matcher(m.label()).matches()) {
                problems.add(new FieldProblem(field + ".label", "is not a valid label name"));
                continue;
            }
            LabelMatcher.Op op = m.op() == null
                    ? LabelMatcher.Op.EQ
                    : LabelMatcher.Op.of(m.op()).orElse(null);
            if (op == null) {
                problems.add(new FieldProblem(field + ".op", "must be one of =, !=, =~, !~"));
                continue;
            }
            if (m.value() == null) {
                problems.add(new FieldProblem(field + ".value", "is required"));
                continue;
            }
            try {
                out.add(LabelMatcher.of(m.label(), op, m.value()));
            } catch (IllegalArgumentException e) {
                problems.add(new FieldProblem(field + ".value", e.getMessage()));
            }
        }
        return out;
    }

    private static List<LabelMatcher> matchers(List<RuleSpec.MatcherSpec> specs, List<FieldProblem> problems) {
        return matchers(specs, problems, "condition.matchers");
    }
}
