package io.meridian.policy.domain;

import java.util.List;
import java.util.Map;

/**
 * A Kubernetes label selector ({@code matchLabels} and {@code matchExpressions}); {@code null} or empty selects
 * everything, as in Kubernetes.
 */
public record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {

    /** One requirement: {@code In}, {@code NotIn}, {@code Exists} or {@code DoesNotExist}. */
    public record Requirement(String key, String operator, List<String> values) {
        public Requirement {
            values = values == null ? List.of() : List.copyOf(values);
        }
    }

    public LabelSelector {
        matchLabels = matchLabels == null ? Map.of() : Map.copyOf(matchLabels);
        matchExpressions = matchExpressions == null ? List.of() : List.copyOf(matchExpressions);
    }

    public static final LabelSelector EVERYTHING = new LabelSelector(Map.of(), List.of());

    public boolean isEmpty() {
        return matchLabels.isEmpty() && matchExpressions.isEmpty();
    }

    /** Whether labels satisfy every term. */
    public boolean matches(Map<String, String> labels) {
        Map<String, String> given = labels == null ? Map.of() : labels;
        for (var e : matchLabels.entrySet()) {
            if (!e.getValue().equals(given.get(e.getKey()))) {
                return false;
            }
        }
        for (Requirement r : matchExpressions) {
            String value = given.get(r.key());
            boolean ok = switch (r.operator()) {
                case "In" -> value != null && r.values().contains(value);
                case "NotIn" -> value == null || !r.values().contains(value);
                case "Exists" -> given.containsKey(r.key());
                case "DoesNotExist" -> !given.containsKey(r.key());
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Problems with this selector, each naming the field below {@code path}. */
    public void check(String path, List<FieldProblem> problems) {
        for (int i = 0; i < matchExpressions.size(); i++) {
            Requirement r = matchExpressions.get(i);
            String at = path + ".matchExpressions[" + i + "]";
            if (r.key() == null || r.key().isBlank()) {
                problems.add(new FieldProblem(at + ".key", "is required"));
            }
            if (r.operator() == null
                    || !List.of("In", "NotIn", "Exists", "DoesNotExist").contains(r.operator())) {
                problems.add(new FieldProblem(at + ".operator", "must be one of In, NotIn, Exists, DoesNotExist"));
            } else if ((r.operator().equals("In") || r.operator().equals("NotIn"))
                    && r.values().isEmpty()) {
                problems.add(new FieldProblem(at + ".values", "must not be empty for " + r.operator()));
            } else if ((r.operator().equals("Exists") || r.operator().equals("DoesNotExist"))
                    && !r.values().isEmpty()) {
                problems.add(new FieldProblem(at + ".values", "must be empty for " + r.operator()));
            }
        }
    }
}
