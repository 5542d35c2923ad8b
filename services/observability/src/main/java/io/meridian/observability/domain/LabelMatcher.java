package io.meridian.observability.domain;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A label matcher as in Alertmanager and PromQL: {@code =}, {@code !=}, {@code =~}, {@code !~}; regular
 * expressions match the whole value, and a missing label matches as the empty string.
 */
public record LabelMatcher(String label, Op op, String value, Pattern pattern) {

    /** Matcher operators with their wire symbols. */
    public enum Op {
        EQ("="),
        NE("!="),
        RE("=~"),
        NRE("!~");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        public static java.util.Optional<Op> of(String symbol) {
            for (Op op : values()) {
                if (op.symbol.equals(symbol)) {
                    return java.util.Optional.of(op);
                }
            }
            return java.util.Optional.empty();
        }
    }

    /** Builds a matcher; throws IllegalArgumentException for an invalid regular expression. */
    public static LabelMatcher of(String label, Op op, String value) {
        Pattern pattern = null;
        if (op == Op.RE || op == Op.NRE) {
            try {
                pattern = Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid regular expression: " + e.getDescription());
            }
        }
        return new LabelMatcher(label, op, value, pattern);
    }

    public boolean matches(Map<String, String> labels) {
        String actual = labels.getOrDefault(label, "");
        return switch (op) {
            case EQ -> actual.equals(value);
            case NE -> !actual.equals(value);
            case RE -> pattern.matcher(actual).matches();
            case NRE -> !pattern.matcher(actual).matches();
        };
    }

    public static boolean all(java.util.List<LabelMatcher> matchers, Map<String, String> labels) {
        for (LabelMatcher m : matchers) {
            if (!m.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return label + op.symbol + "\"" + value + "\"";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelMatcher other
                && label.equals(other.label)
                && op == other.op
                && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(label, op, value);
    }
}
