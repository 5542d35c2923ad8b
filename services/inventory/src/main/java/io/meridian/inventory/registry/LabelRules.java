package io.meridian.inventory.registry;

import io.meridian.contracts.selector.LabelSyntax;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The registry's label rules: Kubernetes label syntax ({@link LabelSyntax}, the fleet's one definition), so that
 * registry labels can be used in selectors everywhere in the fleet, and a bound on their number.
 */
public final class LabelRules {

    /** More labels than this on one cluster is a mistake, not a fleet. */
    public static final int MAX_LABELS = 64;

    private LabelRules() {}

    /** Problems with a label map, each naming {@code field[key]}. */
    public static List<FieldProblem> check(String field, Map<String, String> labels) {
        List<FieldProblem> problems = new ArrayList<>();
        if (labels == null) {
            return problems;
        }
        if (labels.size() > MAX_LABELS) {
            problems.add(new FieldProblem(field, "at most " + MAX_LABELS + " labels, got " + labels.size()));
            return problems;
        }
        labels.forEach((key, value) -> {
            String keyProblem = LabelSyntax.keyProblem(key);
            if (keyProblem != null) {
                problems.add(new FieldProblem(field + "[" + abbreviate(key) + "]", keyProblem));
            }
            String valueProblem = LabelSyntax.valueProblem(value);
            if (valueProblem != null) {
                problems.add(new FieldProblem(field + "[" + abbreviate(key) + "]", valueProblem));
            }
        });
        return problems;
    }

    private static String abbreviate(String key) {
        return key.length() > 80 ? key.substring(0, 80) + "..." : key;
    }
}
