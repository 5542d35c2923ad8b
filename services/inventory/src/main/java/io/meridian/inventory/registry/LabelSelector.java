package io.meridian.inventory.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Kubernetes equality- and set-based label selector in its string form: {@code env=prod,tier!=web},
 * {@code team in (payments,checkout)}, {@code region notin (eu-west-1)}, {@code gpu}, {@code !spot}.
 */
public record LabelSelector(List<Requirement> requirements) {

    /** One clause of a selector. */
    public sealed interface Requirement {
        boolean matches(Map<String, String> labels);
    }

    /** {@code key=value} / {@code key==value}. */
    public record Equals(String key, String value) implements Requirement {
        public boolean matches(Map<String, String> labels) {
            return value.equals(labels.get(key));
        }
    }

    /** {@code key!=value}: also true when the key is absent, as in Kubernetes. */
    public record NotEquals(String key, String value) implements Requirement {
        public boolean matches(Map<String, String> labels) {
            return !value.equals(labels.get(key));
        }
    }

    /** {@code key in (a,b)}. */
    public record In(String key, Set<String> values) implements Requirement {
        public boolean matches(Map<String, String> labels) {
            return labels.containsKey(key) && values.contains(labels.get(key));
        }
    }

    /** {@code key notin (a,b)}. */
    public record NotIn(String key, Set<String> values) implements Requirement {
        public boolean matches(Map<String, String> labels) {
            return !labels.containsKey(key) || !values.contains(labels.get(key));
        }
    }

    /** {@code key}. */
    public record Exists(String key) implements Requirement {
        public boolean matches(Map<String, String> labels) {
            return labels.containsKey(key);
        }
    }

    /** {@code !key}. */
    public record DoesNotExist(String key) implements Requirement {
        public boolean matches(Map<String, String> labels) {
            return !labels.containsKey(key);
        }
    }

    public LabelSelector {
        requirements = List.copyOf(requirements);
    }

    public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    public boolean matches(Map<String, String> labels) {
        Map<String, String> safe = labels == null ? Map.of() : labels;
        return requirements.stream().allMatch(r -> r.matches(safe));
    }

    /**
     * Parses the string form.
     *
     * @throws IllegalArgumentException naming the clause that cannot be read
     */
    public static LabelSelector parse(String selector) {
        if (selector == null || selector.isBlank()) {
            return EVERYTHING;
        }
        List<Requirement> requirements = new ArrayList<>();
        for (String clause : splitClauses(selector)) {
            requirements.add(parseClause(clause.trim()));
        }
        return new LabelSelector(requirements);
    }

    private static Requirement parseClause(String clause) {
        if (clause.isEmpty()) {
            throw new IllegalArgumentException("empty clause in label selector");
        }
        String lower = clause.toLowerCase(java.util.Locale.ROOT);
        int notin = lower.indexOf(" notin ");
        int in = lower.indexOf(" in ");
        if (notin > 0) {
            return new NotIn(key(clause.substring(0, notin), clause), values(clause.substring(notin + 7), clause));
        }
        if (in > 0) {
            return new In(key(clause.substring(0, in), clause), values(clause.substring(in + 4), clause));
        }
        if (clause.contains("!=")) {
            String[] parts = clause.split("!=", 2);
            return new NotEquals(key(parts[0], clause), value(parts[1], clause));
        }
        if (clause.contains("==")) {
            String[] parts = clause.split("==", 2);
            return new Equals(key(parts[0], clause), value(parts[1], clause));
        }
        if (clause.contains("=")) {
            String[] parts = clause.split("=", 2);
            return new Equals(key(parts[0], clause), value(parts[1], clause));
        }
        if (clause.startsWith("!")) {
            return new DoesNotExist(key(clause.substring(1), clause));
        }
        return new Exists(key(clause, clause));
    }

    private static String key(String raw, String clause) {
        String key = raw.trim();
        String problem = LabelRules.keyProblem(key);
        if (problem != null) {
            throw new IllegalArgumentException("'" + clause + "': " + problem);
        }
        return key;
    }

    private static String value(String raw, String clause) {
        String value = raw.trim();
        String problem = LabelRules.valueProblem(value);
        if (problem != null) {
            throw new IllegalArgumentException("'" + clause + "': " + problem);
        }
        return value;
    }

    private static Set<String> values(String raw, String clause) {
        String trimmed = raw.trim();
        if (!trimmed.startsWith("(") || !trimmed.endsWith(")")) {
            throw new IllegalArgumentException("'" + clause + "': values must be in parentheses, e.g. (a,b)");
        }
        Set<String> values = new java.util.LinkedHashSet<>();
        for (String v : trimmed.substring(1, trimmed.length() - 1).split(",")) {
            values.add(value(v, clause));
        }
        return values;
    }

    /** Splits on commas that are not inside parentheses. */
    private static List<String> splitClauses(String selector) {
        List<String> clauses = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                clauses.add(selector.substring(start, i));
                start = i + 1;
            }
        }
        clauses.add(selector.substring(start));
        return clauses;
    }
}
