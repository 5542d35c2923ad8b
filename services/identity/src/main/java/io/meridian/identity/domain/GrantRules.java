package io.meridian.identity.domain;

import io.meridian.contracts.resource.PolicyRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Validation of a grant request: every problem, each naming its field, so a portal can show them all at once. */
public final class GrantRules {

    public static final int MAX_NAMESPACES = 100;
    public static final int MAX_REASON = 1000;
    public static final int MAX_SUBJECT = 255;
    private static final Set<String> CLOUDS = Set.of("aws", "azure", "gcp", "onprem", "other");

    private GrantRules() {}

    /**
     * @param templates names of the role templates that exist
     * @param now the time an expiry must lie after
     */
    public static List<FieldProblem> check(GrantRequest request, Set<String> templates, Instant now) {
        List<FieldProblem> problems = new ArrayList<>();
        if (Subject.Kind.fromWire(request.subjectKind()).isEmpty()) {
            problems.add(new FieldProblem("subject.kind", "must be group or user"));
        }
        String name = request.subjectName();
        if (name == null || name.isBlank()) {
            problems.add(new FieldProblem("subject.name", "is required"));
        } else if (name.length() > MAX_SUBJECT
                || !name.equals(name.strip())
                || name.chars().anyMatch(Character::isISOControl)) {
            problems.add(new FieldProblem(
                    "subject.name", "must be at most " + MAX_SUBJECT + " characters without surrounding blanks"));
        } else if (name.startsWith("system:")) {
            problems.add(new FieldProblem(
                    "subject.name", "system: subjects (e.g. system:masters) are never granted through Meridian"));
        }
        String role = request.role();
        if (role == null || role.isBlank()) {
            problems.add(new FieldProblem("role", "is required: view, edit, admin, cluster-admin or a role template"));
        } else if (role.equals("system:masters") || role.startsWith("system:")) {
            problems.add(new FieldProblem("role", "system: roles and groups are never granted through Meridian"));
        } else if (BuiltinRole.of(role).isEmpty() && !templates.contains(role)) {
            problems.add(new FieldProblem(
                    "role", "'" + role + "' is neither view, edit, admin, cluster-admin nor a role template"));
        }
        if (request.labels() != null) {
            request.labels().forEach((key, value) -> {
                String keyProblem = Names.labelKeyProblem(key);
                if (keyProblem != null) {
                    problems.add(new FieldProblem("scope.labels[" + key + "]", keyProblem));
                }
                String valueProblem = Names.labelValueProblem(value);
                if (valueProblem != null) {
                    problems.add(new FieldProblem("scope.labels[" + key + "]", valueProblem));
                }
            });
        }
        if (request.cloud() != null && !CLOUDS.contains(request.cloud())) {
            problems.add(new FieldProblem("scope.cloud", "must be one of aws, azure, gcp, onprem, other"));
        }
        if (request.environment() != null && Names.labelValueProblem(request.environment()) != null) {
            problems.add(new FieldProblem("scope.environment", Names.labelValueProblem(request.environment())));
        }
        List<String> namespaces = request.namespaces() == null ? List.of() : request.namespaces();
        if (namespaces.size() > MAX_NAMESPACES) {
            problems.add(new FieldProblem("namespaces", "at most " + MAX_NAMESPACES + " namespaces"));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < namespaces.size(); i++) {
            String ns = namespaces.get(i);
            if (!Names.isDnsLabel(ns, 63)) {
                problems.add(new FieldProblem("namespaces[" + i + "]", "must be a Kubernetes namespace name"));
            } else if (!seen.add(ns)) {
                problems.add(new FieldProblem("namespaces[" + i + "]", "'" + ns + "' is listed twice"));
            }
        }
        if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
            problems.add(new FieldProblem("expiresAt", "must be in the future"));
        }
        if (request.reason() == null || request.reason().isBlank()) {
            problems.add(new FieldProblem("reason", "is required: say why this access is needed"));
        } else if (request.reason().length() > MAX_REASON) {
            problems.add(new FieldProblem("reason", "must be at most " + MAX_REASON + " characters"));
        }
        return problems;
    }

    /** Problems of a role template definition. */
    public static List<FieldProblem> checkTemplate(String name, List<PolicyRule> rules) {
        List<FieldProblem> problems = new ArrayList<>();
        if (!Names.isDnsLabel(name, 40)) {
            problems.add(new FieldProblem(
                    "name", "must be a lower-case DNS label of at most 40 characters (a-z, 0-9, '-')"));
        } else if (BuiltinRole.of(name).isPresent()) {
            problems.add(new FieldProblem("name", "'" + name + "' is a built-in role"));
        }
        if (rules == null || rules.isEmpty()) {
            problems.add(new FieldProblem("rules", "at least one rule is required"));
            return problems;
        }
        for (int i = 0; i < rules.size(); i++) {
            PolicyRule rule = rules.get(i);
            String field = "rules[" + i + "]";
            if (rule == null) {
                problems.add(new FieldProblem(field, "must not be null"));
                continue;
            }
            if (rule.verbs().isEmpty()) {
                problems.add(new FieldProblem(field + ".verbs", "at least one verb is required"));
            }
            if (rule.resources().isEmpty() && rule.nonResourceURLs().isEmpty()) {
                problems.add(new FieldProblem(field + ".resources", "name resources or nonResourceURLs"));
            }
            if (!rule.resources().isEmpty() && rule.apiGroups().isEmpty()) {
                problems.add(
                        new FieldProblem(field + ".apiGroups", "is required with resources (\"\" is the core group)"));
            }
            for (List<String> values :
                    List.of(rule.apiGroups(), rule.resources(), rule.verbs(), rule.resourceNames())) {
                if (values.stream()
                        .anyMatch(
                                v -> v == null || v.length() > 253 || v.chars().anyMatch(Character::isWhitespace))) {
                    problems.add(new FieldProblem(field, "values must be non-null names without blanks"));
                    break;
                }
            }
        }
        return problems;
    }
}
