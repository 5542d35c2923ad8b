package io.meridian.contracts.selector;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A Kubernetes label selector: every {@code matchLabels} entry must be equal and every {@code matchExpressions}
 * requirement must hold; an empty selector selects everything. It reads from JSON as Kubernetes writes it
 * (invalid input included, so that {@link #problems} can name the field), or from the {@code kubectl -l} string form
 * through {@link #parse}; {@link #toString} writes that string form back.
 */
public record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {

    /** Selects everything. */
    public static final LabelSelector EVERYTHING = new LabelSelector(Map.of(), List.of());

    public LabelSelector {
        matchLabels = matchLabels == null ? Map.of() : Map.copyOf(matchLabels);
        matchExpressions = matchExpressions == null ? List.of() : List.copyOf(matchExpressions);
    }

    /** The operator of a requirement, spelled on the wire as Kubernetes spells it. */
    public enum Operator {
        IN("In"),
        NOT_IN("NotIn"),
        EXISTS("Exists"),
        DOES_NOT_EXIST("DoesNotExist");

        private final String wireName;

        Operator(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }

        /** The operator of a wire name, if it is one (case-sensitive, as in Kubernetes). */
        public static Optional<Operator> fromWire(String value) {
            return Arrays.stream(values()).filter(o -> o.wireName.equals(value)).findFirst();
        }

        /** The wire names, for error messages. */
        public static String wireNames() {
            return Arrays.stream(values()).map(Operator::wireName).collect(Collectors.joining(", "));
        }

        // An unknown operator reads as null instead of failing the whole document: validation then names the field.
        @JsonCreator
        static Operator read(String value) {
            return fromWire(value).orElse(null);
        }

        boolean takesValues() {
            return this == IN || this == NOT_IN;
        }
    }

    /** One {@code matchExpressions} entry; {@code values} is empty for Exists and DoesNotExist. */
    public record Requirement(String key, Operator operator, List<String> values) {

        public Requirement {
            values = values == null ? List.of() : List.copyOf(values);
        }

        /** {@code key in (values)}. */
        public static Requirement in(String key, String... values) {
            return new Requirement(key, Operator.IN, List.of(values));
        }

        /** {@code key notin (values)}: also true when the key is absent, as in Kubernetes. */
        public static Requirement notIn(String key, String... values) {
            return new Requirement(key, Operator.NOT_IN, List.of(values));
        }

        /** {@code key}. */
        public static Requirement exists(String key) {
            return new Requirement(key, Operator.EXISTS, List.of());
        }

        /** {@code !key}. */
        public static Requirement doesNotExist(String key) {
            return new Requirement(key, Operator.DOES_NOT_EXIST, List.of());
        }

        /** Whether {@code labels} satisfy this requirement; one without a key or operator holds for nothing. */
        public boolean matches(Map<String, String> labels) {
            if (key == null || operator == null) {
                return false;
            }
            String value = labels.get(key);
            return switch (operator) {
                case IN -> value != null && values.contains(value);
                case NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> labels.containsKey(key);
                case DOES_NOT_EXIST -> !labels.containsKey(key);
            };
        }

        @Override
        public String toString() {
            if (operator == null) {
                return key + " <no operator>";
            }
            return switch (operator) {
                case IN -> key + " in " + valueSet();
                case NOT_IN -> values.size() == 1 ? key + "!=" + values.getFirst() : key + " notin " + valueSet();
                case EXISTS -> String.valueOf(key);
                case DOES_NOT_EXIST -> "!" + key;
            };
        }

        private String valueSet() {
            return values.stream().distinct().sorted().collect(Collectors.joining(",", "(", ")"));
        }
    }

    /**
     * Whether this selector selects nothing in particular, i.e. everything. Jackson also writes it as {@code empty},
     * which the policy API has always shown, so the name stays.
     */
    public boolean isEmpty() {
        return matchLabels.isEmpty() && matchExpressions.isEmpty();
    }

    /** Whether {@code labels} (null: none) satisfy every term. */
    public boolean matches(Map<String, String> labels) {
        Map<String, String> given = labels == null ? Map.of() : labels;
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            if (!e.getValue().equals(given.get(e.getKey()))) {
                return false;
            }
        }
        for (Requirement r : matchExpressions) {
            if (!r.matches(given)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads the {@code kubectl -l} string form: comma-separated requirements {@code key=value}, {@code key==value},
     * {@code key!=value}, {@code key in (a,b)}, {@code key notin (a,b)}, {@code key} and {@code !key}; blank or null
     * selects everything. {@code key=value} goes to {@code matchLabels} (a second one for the same key to an In
     * requirement), {@code key!=value} is {@code key notin (value)}. Keys and values are checked like Kubernetes.
     *
     * @throws InvalidSelectorException naming the requirement that cannot be read and why
     */
    public static LabelSelector parse(String text) {
        return SelectorParser.parse(text);
    }

    /**
     * Structural problems, each naming its field below {@code path} as Kubernetes would: a requirement without a
     * key, with an unknown operator, without values for In or NotIn, or with values for Exists or DoesNotExist.
     * Label syntax is not checked here (see {@link LabelSyntax}); {@link #parse} checks it.
     */
    public List<SelectorProblem> problems(String path) {
        List<SelectorProblem> problems = new ArrayList<>();
        for (int i = 0; i < matchExpressions.size(); i++) {
            Requirement r = matchExpressions.get(i);
            String at = path + ".matchExpressions[" + i + "]";
            if (r.key() == null || r.key().isBlank()) {
                problems.add(new SelectorProblem(at + ".key", "is required"));
            }
            if (r.operator() == null) {
                problems.add(new SelectorProblem(at + ".operator", "must be one of " + Operator.wireNames()));
            } else if (r.operator().takesValues() && r.values().isEmpty()) {
                problems.add(new SelectorProblem(
                        at + ".values", "must not be empty for " + r.operator().wireName()));
            } else if (!r.operator().takesValues() && !r.values().isEmpty()) {
                problems.add(new SelectorProblem(
                        at + ".values", "must be empty for " + r.operator().wireName()));
            }
        }
        return problems;
    }

    /** The string form {@link #parse} reads back to an equal selector: matchLabels by key, then the requirements. */
    @Override
    public String toString() {
        List<String> terms = new ArrayList<>();
        new TreeMap<>(matchLabels).forEach((key, value) -> terms.add(key + "=" + value));
        matchExpressions.forEach(r -> terms.add(String.valueOf(r)));
        return String.join(",", terms);
    }
}
