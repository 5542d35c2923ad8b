package io.meridian.observability.domain;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Map;

/**
 * A label matcher as in Alertmanager and PromQL: {@code =}, {@code !=}, {@code =~}, {@code !~}; a missing label
 * matches as the empty string. Regular expressions are RE2, as in Prometheus, matched in linear time by RE2/J
 * (a caller supplies them, so never by a backtracking engine), and fully anchored: {@code ^(?s:value)$}.
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

    /**
     * Builds a matcher; throws IllegalArgumentException for a regular expression RE2 refuses (Java-only syntax
     * such as backreferences or lookaround included).
     */
    public static LabelMatcher of(String label, Op op, String value) {
        Pattern pattern = null;
        if (op == Op.RE || op == Op.NRE) {
            try {
                // As Prometheus: anchored at both ends, '.' matches a newline too.
                pattern = Pattern.compile("^(?s:" + value + ")$");
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid regular expression (RE2 syntax): " + e.getDescription());
            }
        }
        return new LabelMatcher(label, op, value, pattern);
    }

    /**
     * Rebuilds a stored matcher. One whose regular expression RE2 refuses (stored before matching moved to RE2)
     * matches nothing, so a silence or inhibition holding it mutes nothing rather than failing every read.
     */
    public static LabelMatcher restore(String label, Op op, String value) {
        try {
            return of(label, op, value);
        } catch (IllegalArgumentException unusable) {
            return new LabelMatcher(label, op, value, null);
        }
    }

    public boolean matches(Map<String, String> labels) {
        String actual = labels.getOrDefault(label, "");
        return switch (op) {
            case EQ -> actual.equals(value);
            case NE -> !actual.equals(value);
            case RE -> pattern != null && pattern.matches(actual);
            case NRE -> pattern != null && !pattern.matches(actual);
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
