package io.meridian.inventory.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Kubernetes label syntax, so that registry labels can be used in selectors everywhere in the fleet. */
public final class LabelRules {

    /** More labels than this on one cluster is a mistake, not a fleet. */
    public static final int MAX_LABELS = 64;

    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

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
            String keyProblem = keyProblem(key);
            if (keyProblem != null) {
                problems.add(new FieldProblem(field + "[" + abbreviate(key) + "]", keyProblem));
            }
            String valueProblem = valueProblem(value);
            if (valueProblem != null) {
                problems.add(new FieldProblem(field + "[" + abbreviate(key) + "]", valueProblem));
            }
        });
        return problems;
    }

    /** Why a label key is invalid, or null. */
    public static String keyProblem(String key) {
        if (key == null || key.isEmpty()) {
            return "label key must not be empty";
        }
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty()
                    || prefix.length() > 253
                    || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                return "label key prefix must be a DNS subdomain of at most 253 characters";
            }
        }
        if (name.length() > 63 || !NAME.matcher(name).matches()) {
            return "label key name must be at most 63 characters: alphanumerics, '-', '_' or '.',"
                    + " starting and ending with an alphanumeric";
        }
        return null;
    }

    /** Why a label value is invalid, or null. */
    public static String valueProblem(String value) {
        if (value == null) {
            return "label value must not be null (use an empty string)";
        }
        if (value.isEmpty()) {
            return null;
        }
        if (value.length() > 63 || !NAME.matcher(value).matches()) {
            return "label value must be at most 63 characters: alphanumerics, '-', '_' or '.',"
                    + " starting and ending with an alphanumeric";
        }
        return null;
    }

    private static String abbreviate(String key) {
        return key.length() > 80 ? key.substring(0, 80) + "..." : key;
    }
}
