package io.meridian.policy.domain;

import io.meridian.contracts.selector.LabelSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The structural checks of a policy definition (CEL expressions are checked by {@link CompiledPolicy}). */
public final class PolicyRules {

    private static final String NAME = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final Set<String> OPERATIONS = Set.of("*", "CREATE", "UPDATE", "DELETE", "CONNECT");
    private static final Set<String> FAILURE_POLICIES = Set.of("Fail", "Ignore");

    // Match conditions are named like labels; variables are read as variables.<name>, so they are CEL identifiers.
    private static final String QUALIFIED_NAME = "[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?";
    private static final String CEL_IDENTIFIER = "[A-Za-z_][A-Za-z0-9_]*";

    private PolicyRules() {}

    /** Every structural problem of {@code def}, each naming its field. */
    @SuppressWarnings("unchecked")
    public static List<FieldProblem> check(PolicyDefinition def) {
        List<FieldProblem> problems = new ArrayList<>();
        if (def.name() == null || def.name().isBlank()) {
            problems.add(new FieldProblem("name", "is required"));
        } else if (def.name().length() > 63 || !def.name().matches(NAME)) {
            problems.add(
                    new FieldProblem("name", "must be a DNS label: lower-case letters, digits and '-', at most 63"));
        }
        for (int i = 0; i < def.categories().size(); i++) {
            if (!PolicyDefinition.CATEGORIES.contains(def.categories().get(i))) {
                problems.add(new FieldProblem(
                        "categories[" + i + "]", "must be one of " + String.join(", ", PolicyDefinition.CATEGORIES)));
            }
        }
        check(def.fleetScope().clusterSelector(), "fleetScope.clusterSelector", problems);
        var spec = def.spec();
        if (spec == null) {
            problems.add(new FieldProblem("spec", "is required"));
            return problems;
        }
        if (spec.failurePolicy() != null && !FAILURE_POLICIES.contains(spec.failurePolicy())) {
            problems.add(new FieldProblem("spec.failurePolicy", "must be Fail or Ignore"));
        }
        var match = spec.matchConstraints();
        if (match == null || match.resourceRules().isEmpty()) {
            problems.add(new FieldProblem("spec.matchConstraints.resourceRules", "must name at least one rule"));
        } else {
            checkRules("spec.matchConstraints.resourceRules", match.resourceRules(), problems);
            checkRules("spec.matchConstraints.excludeResourceRules", match.excludeResourceRules(), problems);
            check(match.namespaceSelector(), "spec.matchConstraints.namespaceSelector", problems);
            check(match.objectSelector(), "spec.matchConstraints.objectSelector", problems);
        }
        checkNames(
                "spec.matchConditions",
                spec.matchConditions(),
                QUALIFIED_NAME,
                "must be a qualified name (letters, digits, '-', '_', '.')",
                problems);
        checkNames("spec.variables", spec.variables(), CEL_IDENTIFIER, "must be a CEL identifier", problems);
        boolean ensures = def.ensure() != null && !def.ensure().objects().isEmpty();
        if (spec.validations().isEmpty() && !ensures) {
            problems.add(new FieldProblem("spec.validations", "must hold at least one validation"));
        }
        for (int i = 0; i < spec.validations().size(); i++) {
            var v = spec.validations().get(i);
            if (v.expression() == null || v.expression().isBlank()) {
                problems.add(new FieldProblem("spec.validations[" + i + "].expression", "is required"));
            }
        }
        if (def.ensure() != null) {
            check(def.ensure().namespaceSelector(), "ensure.namespaceSelector", problems);
            for (int i = 0; i < def.ensure().objects().size(); i++) {
                Map<String, Object> o = def.ensure().objects().get(i);
                String at = "ensure.objects[" + i + "]";
                if (!(o.get("apiVersion") instanceof String v) || v.isBlank()) {
                    problems.add(new FieldProblem(at + ".apiVersion", "is required"));
                }
                if (!(o.get("kind") instanceof String k) || k.isBlank()) {
                    problems.add(new FieldProblem(at + ".kind", "is required"));
                }
                if (!(o.get("metadata") instanceof Map<?, ?> meta)
                        || !(((Map<String, Object>) meta).get("name") instanceof String n)
                        || !n.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
                    problems.add(new FieldProblem(at + ".metadata.name", "must be a valid Kubernetes name"));
                }
            }
            // Kinds nobody may ensure are invalid for everyone; those only a fleet-admin may are the API's to refuse.
            for (EnsureKinds.Finding finding : EnsureKinds.beyondOperators(def)) {
                if (finding.tier() == EnsureKinds.Tier.NEVER) {
                    problems.add(new FieldProblem(finding.field(), finding.reason()));
                }
            }
        }
        return problems;
    }

    private static void checkRules(
            String path, List<PolicyDefinition.ResourceRule> rules, List<FieldProblem> problems) {
        for (int i = 0; i < rules.size(); i++) {
            var rule = rules.get(i);
            String at = path + "[" + i + "]";
            if (rule.apiGroups().isEmpty()) {
                problems.add(new FieldProblem(at + ".apiGroups", "must not be empty (\"\" is the core group, * all)"));
            }
            if (rule.apiVersions().isEmpty()) {
                problems.add(new FieldProblem(at + ".apiVersions", "must not be empty (* for all)"));
            }
            if (rule.resources().isEmpty()) {
                problems.add(new FieldProblem(at + ".resources", "must not be empty (plural names, * for all)"));
            }
            for (int j = 0; j < rule.operations().size(); j++) {
                if (!OPERATIONS.contains(rule.operations().get(j))) {
                    problems.add(new FieldProblem(
                            at + ".operations[" + j + "]", "must be one of *, CREATE, UPDATE, DELETE, CONNECT"));
                }
            }
        }
    }

    private static void checkNames(
            String path,
            List<PolicyDefinition.NamedExpression> entries,
            String pattern,
            String rule,
            List<FieldProblem> problems) {
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            var e = entries.get(i);
            if (e.name() == null || e.name().length() > 63 || !e.name().matches(pattern)) {
                problems.add(new FieldProblem(path + "[" + i + "].name", rule));
            } else if (!seen.add(e.name())) {
                problems.add(new FieldProblem(path + "[" + i + "].name", "is used twice"));
            }
            if (e.expression() == null || e.expression().isBlank()) {
                problems.add(new FieldProblem(path + "[" + i + "].expression", "is required"));
            }
        }
    }

    private static void check(LabelSelector selector, String path, List<FieldProblem> problems) {
        selector.problems(path).forEach(p -> problems.add(new FieldProblem(p.field(), p.message())));
    }
}
