package io.meridian.fleetsim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The part of a v1.31 API server's {@code apps/v1} validation that the product meets with its workloads: a
 * Deployment, StatefulSet, ReplicaSet or DaemonSet must have a non-empty {@code spec.selector} that selects its own
 * pod template's labels (and well-formed requirements), and once created the selector cannot change. A StatefulSet's
 * spec may change only in {@code replicas}, {@code ordinals}, {@code template}, {@code updateStrategy},
 * {@code persistentVolumeClaimRetentionPolicy} and {@code minReadySeconds}. A real server answers a write that breaks
 * any of these with 422 {@code Invalid} and stores nothing; so does the simulator, with the same fields, reasons and
 * messages (values printed as Go prints them, close enough to read).
 *
 * <p>Checked on the whole object a write would store (after defaulting), never on a {@code status} write, whose
 * strategy leaves the spec alone.
 */
final class SelectorValidation {

    /** One problem, as an entry of {@code Status.details.causes}. */
    record FieldError(String field, String reason, String detail) {

        /** As the message of the Status prints it: {@code spec.selector: Required value}. */
        String describe() {
            return field + ": " + detail;
        }
    }

    private static final Set<String> KINDS = Set.of("Deployment", "StatefulSet", "ReplicaSet", "DaemonSet");
    // The StatefulSet spec fields ValidateStatefulSetUpdate does not copy from the old spec before comparing: every
    // field of the v1.31 StatefulSetSpec but those its message names (revisionHistoryLimit included: a v1.31 server
    // refuses its change). A field the server does not know is dropped when it decodes, so never compared.
    private static final List<String> STATEFUL_SET_FIXED =
            List.of("selector", "serviceName", "volumeClaimTemplates", "podManagementPolicy", "revisionHistoryLimit");

    private SelectorValidation() {}

    /** Whether a write of this kind in this API group is validated here. */
    static boolean applies(String group, String kind) {
        return "apps".equals(group) && KINDS.contains(kind);
    }

    /**
     * The problems of storing {@code next} over {@code live} ({@code null} for a creation), in the order a real server
     * lists them; empty when the write is valid.
     */
    static List<FieldError> check(String kind, Map<String, Object> live, Map<String, Object> next) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, Object> spec = map(next.get("spec"));
        Object selector = spec.get("selector");
        Map<String, String> labels =
                labels(map(map(spec.get("template")).get("metadata")).get("labels"));
        if (selector == null) {
            // A DaemonSet's validation has no Required check; every kind's then judges the template by the missing
            // selector, which selects nothing.
            if (!kind.equals("DaemonSet")) {
                errors.add(new FieldError("spec.selector", "FieldValueRequired", "Required value"));
            }
            errors.add(templateNotSelected(labels));
        } else if (!(selector instanceof Map<?, ?>) || isEmpty(map(selector))) {
            errors.add(new FieldError(
                    "spec.selector",
                    "FieldValueInvalid",
                    "Invalid value: " + goSelector(selector) + ": empty selector is invalid for "
                            + kind.toLowerCase(Locale.ROOT)));
        } else {
            List<FieldError> malformed = malformed(map(selector));
            errors.addAll(malformed);
            if (malformed.isEmpty() && !selects(map(selector), labels)) {
                errors.add(templateNotSelected(labels));
            }
        }
        if (live != null) {
            Map<String, Object> liveSpec = map(live.get("spec"));
            if (kind.equals("StatefulSet")) {
                if (STATEFUL_SET_FIXED.stream()
                        .anyMatch(field -> !ServerSideApply.valueEquals(
                                withoutEmpty(claimsByValue(field, liveSpec.get(field))),
                                withoutEmpty(claimsByValue(field, spec.get(field)))))) {
                    errors.add(new FieldError(
                            "spec",
                            "FieldValueForbidden",
                            "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals',"
                                    + " 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and"
                                    + " 'minReadySeconds' are forbidden"));
                }
            } else if (!ServerSideApply.valueEquals(withoutEmpty(liveSpec.get("selector")), withoutEmpty(selector))) {
                errors.add(new FieldError(
                        "spec.selector",
                        "FieldValueInvalid",
                        "Invalid value: " + goSelector(selector) + ": field is immutable"));
            }
        }
        return errors;
    }

    private static FieldError templateNotSelected(Map<String, String> labels) {
        return new FieldError(
                "spec.template.metadata.labels",
                "FieldValueInvalid",
                "Invalid value: " + goLabels(labels) + ": `selector` does not match template `labels`");
    }

    /** The problems of each selector requirement, as ValidateLabelSelectorRequirement reports them. */
    private static List<FieldError> malformed(Map<String, Object> selector) {
        List<FieldError> errors = new ArrayList<>();
        if (!(selector.get("matchExpressions") instanceof List<?> expressions)) {
            return errors;
        }
        for (int i = 0; i < expressions.size(); i++) {
            Map<String, Object> expression = map(expressions.get(i));
            String at = "spec.selector.matchExpressions[" + i + "]";
            boolean hasValues = expression.get("values") instanceof List<?> values && !values.isEmpty();
            String operator = String.valueOf(expression.get("operator"));
            switch (operator) {
                case "In", "NotIn" -> {
                    if (!hasValues) {
                        errors.add(new FieldError(
                                at + ".values",
                                "FieldValueRequired",
                                "Required value: must be specified when `operator` is 'In' or 'NotIn'"));
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (hasValues) {
                        errors.add(new FieldError(
                                at + ".values",
                                "FieldValueForbidden",
                                "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                    }
                }
                default ->
                    errors.add(new FieldError(
                            at + ".operator",
                            "FieldValueNotSupported",
                            "Unsupported value: \"" + operator
                                    + "\": supported values: \"In\", \"NotIn\", \"Exists\", \"DoesNotExist\""));
            }
        }
        return errors;
    }

    /**
     * Claim templates with their requests and limits as numbers: the server's Semantic.DeepEqual compares quantities
     * by value, and keeps some spellings as written (a stored "1073741824" is the same size as a stored "1Gi").
     */
    private static Object claimsByValue(String field, Object value) {
        if (!field.equals("volumeClaimTemplates") || !(value instanceof List<?> templates)) {
            return value;
        }
        List<Object> out = new ArrayList<>();
        for (Object template : templates) {
            if (template instanceof Map<?, ?> claim
                    && claim.get("spec") instanceof Map<?, ?> claimSpec
                    && claimSpec.get("resources") instanceof Map<?, ?> resources) {
                Map<String, Object> byValue = new LinkedHashMap<>();
                resources.forEach((kind, amounts) -> byValue.put(
                        String.valueOf(kind), amounts instanceof Map<?, ?> list ? quantitiesByValue(list) : amounts));
                Map<String, Object> specCopy = new LinkedHashMap<>();
                claimSpec.forEach((key, item) -> specCopy.put(String.valueOf(key), item));
                specCopy.put("resources", byValue);
                Map<String, Object> claimCopy = new LinkedHashMap<>();
                claim.forEach((key, item) -> claimCopy.put(String.valueOf(key), item));
                claimCopy.put("spec", specCopy);
                out.add(claimCopy);
            } else {
                out.add(template);
            }
        }
        return out;
    }

    private static Map<String, Object> quantitiesByValue(Map<?, ?> amounts) {
        Map<String, Object> out = new LinkedHashMap<>();
        amounts.forEach((name, amount) -> out.put(
                String.valueOf(name),
                KubernetesDefaults.Quantity.parse(amount)
                        .map(q -> (Object) q.value().stripTrailingZeros())
                        .orElse(amount)));
        return out;
    }

    /**
     * A value as the server's typed object holds it: a null, an empty list and an empty map are all "not set" (the
     * server compares decoded structs, where an omitted and an empty field are the same).
     */
    private static Object withoutEmpty(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> kept = new TreeMap<>();
            map.forEach((key, item) -> {
                Object cleaned = withoutEmpty(item);
                if (cleaned != null) {
                    kept.put(String.valueOf(key), cleaned);
                }
            });
            return kept.isEmpty() ? null : kept;
        }
        if (value instanceof List<?> list) {
            List<Object> kept =
                    list.stream().map(SelectorValidation::withoutEmpty).toList();
            return kept.isEmpty() ? null : kept;
        }
        return value;
    }

    /** Whether a label selector selects these labels (an unknown operator selects nothing, as a server's parse fails). */
    private static boolean selects(Map<String, Object> selector, Map<String, String> labels) {
        for (Map.Entry<String, Object> e : map(selector.get("matchLabels")).entrySet()) {
            if (!Objects.equals(String.valueOf(e.getValue()), labels.get(e.getKey()))) {
                return false;
            }
        }
        if (selector.get("matchExpressions") instanceof List<?> expressions) {
            for (Object raw : expressions) {
                Map<String, Object> expression = map(raw);
                String key = String.valueOf(expression.get("key"));
                List<String> values = expression.get("values") instanceof List<?> list
                        ? list.stream().map(String::valueOf).toList()
                        : List.of();
                boolean matches = switch (String.valueOf(expression.get("operator"))) {
                    case "In" -> labels.containsKey(key) && values.contains(labels.get(key));
                    case "NotIn" -> !labels.containsKey(key) || !values.contains(labels.get(key));
                    case "Exists" -> labels.containsKey(key);
                    case "DoesNotExist" -> !labels.containsKey(key);
                    default -> false;
                };
                if (!matches) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isEmpty(Map<String, Object> selector) {
        return map(selector.get("matchLabels")).isEmpty()
                && !(selector.get("matchExpressions") instanceof List<?> expressions && !expressions.isEmpty());
    }

    private static Map<String, String> labels(Object value) {
        Map<String, String> labels = new TreeMap<>();
        map(value).forEach((key, label) -> labels.put(key, String.valueOf(label)));
        return labels;
    }

    private static String goLabels(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return "map[string]string(nil)";
        }
        return labels.entrySet().stream()
                .map(e -> quote(e.getKey()) + ":" + quote(e.getValue()))
                .collect(Collectors.joining(", ", "map[string]string{", "}"));
    }

    private static String goSelector(Object selector) {
        Map<String, Object> fields = map(selector);
        return "v1.LabelSelector{MatchLabels:" + goLabels(labels(fields.get("matchLabels")))
                + ", MatchExpressions:"
                + (fields.get("matchExpressions") instanceof List<?> list && !list.isEmpty()
                        ? "[]v1.LabelSelectorRequirement{...}"
                        : "[]v1.LabelSelectorRequirement(nil)")
                + "}";
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }
}
