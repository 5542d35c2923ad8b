package io.meridian.policy.domain;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.meridian.contracts.compliance.ComplianceResult;
import io.meridian.contracts.selector.LabelSelector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns Kubernetes manifests (a ValidatingAdmissionPolicy, optionally with its binding) into a Meridian policy.
 * Meridian's own fields travel as annotations, so that the same YAML still applies to a cluster unchanged:
 * {@code meridian.io/severity}, {@code meridian.io/action}, {@code meridian.io/categories},
 * {@code meridian.io/description}, {@code meridian.io/clouds}, {@code meridian.io/environments},
 * {@code meridian.io/cluster-selector} (a {@code kubectl -l} selector: {@code key=value,team in (a,b),!legacy}).
 * Without an action annotation a binding's {@code validationActions} decides (Deny, Warn, else audit).
 */
public final class VapImport {

    public static final String ANNOTATION_PREFIX = "meridian.io/";
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .build();

    /** The import, or the problems that stop it. */
    public sealed interface Result {}

    public record Imported(PolicyDefinition definition) implements Result {}

    public record Rejected(List<FieldProblem> problems) implements Result {}

    private VapImport() {}

    @SuppressWarnings("unchecked")
    public static Result from(List<Map<String, Object>> documents) {
        Map<String, Object> vap = null;
        Map<String, Object> binding = null;
        for (Map<String, Object> doc : documents) {
            if (doc == null) {
                continue;
            }
            Object kind = doc.get("kind");
            if ("ValidatingAdmissionPolicy".equals(kind) && vap == null) {
                vap = doc;
            } else if ("ValidatingAdmissionPolicyBinding".equals(kind) && binding == null) {
                binding = doc;
            }
        }
        if (vap == null) {
            return new Rejected(List.of(new FieldProblem("kind", "no ValidatingAdmissionPolicy in the document")));
        }
        List<FieldProblem> problems = new ArrayList<>();
        Object apiVersion = vap.get("apiVersion");
        if (apiVersion == null || !String.valueOf(apiVersion).startsWith("admissionregistration.k8s.io/")) {
            problems.add(new FieldProblem("apiVersion", "must be admissionregistration.k8s.io/v1 (or a beta of it)"));
        }
        Map<String, Object> metadata = vap.get("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Map<String, Object> annotations =
                metadata.get("annotations") instanceof Map<?, ?> a ? (Map<String, Object>) a : Map.of();
        String name = metadata.get("name") instanceof String n ? n : null;
        PolicyDefinition.Spec spec = null;
        try {
            spec = MAPPER.convertValue(vap.get("spec"), PolicyDefinition.Spec.class);
        } catch (IllegalArgumentException e) {
            problems.add(new FieldProblem("spec", "is not a ValidatingAdmissionPolicy spec: " + rootMessage(e)));
        }
        ComplianceResult.Severity severity = null;
        String sev = annotation(annotations, "severity");
        if (sev != null) {
            try {
                severity = ComplianceResult.Severity.valueOf(sev.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(new FieldProblem(
                        "metadata.annotations[meridian.io/severity]", "must be low, medium, high or critical"));
            }
        }
        ComplianceResult.Action action = null;
        String act = annotation(annotations, "action");
        if (act != null) {
            try {
                action = ComplianceResult.Action.valueOf(act.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(
                        new FieldProblem("metadata.annotations[meridian.io/action]", "must be audit, warn or deny"));
            }
        } else if (binding != null
                && binding.get("spec") instanceof Map<?, ?> bspec
                && bspec.get("validationActions") instanceof List<?> actions) {
            action = actions.contains("Deny")
                    ? ComplianceResult.Action.DENY
                    : actions.contains("Warn") ? ComplianceResult.Action.WARN : ComplianceResult.Action.AUDIT;
        }
        LabelSelector clusterSelector = null;
        String selector = annotation(annotations, "cluster-selector");
        if (selector != null) {
            try {
                clusterSelector = LabelSelector.parse(selector);
            } catch (IllegalArgumentException e) {
                problems.add(new FieldProblem("metadata.annotations[meridian.io/cluster-selector]", e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            return new Rejected(problems);
        }
        return new Imported(new PolicyDefinition(
                name,
                annotation(annotations, "description"),
                severity,
                action,
                list(annotation(annotations, "categories")),
                new PolicyDefinition.FleetScope(
                        clusterSelector,
                        list(annotation(annotations, "clouds")),
                        list(annotation(annotations, "environments"))),
                spec,
                null));
    }

    private static String annotation(Map<String, Object> annotations, String key) {
        Object v = annotations.get(ANNOTATION_PREFIX + key);
        return v == null ? null : String.valueOf(v).trim();
    }

    private static List<String> list(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        return Arrays.stream(csv.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        int nl = m == null ? -1 : m.indexOf('\n');
        return nl < 0 ? String.valueOf(m) : m.substring(0, nl);
    }
}
