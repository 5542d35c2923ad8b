package io.meridian.identity.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rules no one may bend: who may grant powerful roles, and which grants need a second fleet-admin. {@code
 * system:} subjects and roles are refused by validation already.
 */
public final class GuardRails {

    private GuardRails() {}

    /**
     * Whether {@code role} is privileged: {@code admin}, {@code cluster-admin}, or a role template with an escalation
     * path ({@link RoleTemplate#privileged}). {@code template} is the role's template, null for a built-in role.
     */
    public static boolean privileged(String role, RoleTemplate template) {
        Optional<BuiltinRole> builtin = BuiltinRole.of(role);
        if (builtin.isPresent()) {
            return builtin.get().adminOnly();
        }
        return template != null && template.privileged();
    }

    /**
     * Why a caller who is not a fleet-admin may not grant {@code role} (the field {@code role}), or empty when they
     * may: {@code admin}, {@code cluster-admin} and privileged templates are for fleet-admins only.
     */
    public static Optional<FieldProblem> adminOnly(String role, RoleTemplate template) {
        Optional<BuiltinRole> builtin = BuiltinRole.of(role);
        if (builtin.isPresent() && builtin.get().adminOnly()) {
            return Optional.of(new FieldProblem(
                    "role", "only a fleet-admin may grant '" + role + "'; ask a fleet-admin to create this grant"));
        }
        if (template != null && template.privileged()) {
            String risks = RbacRisks.ofRules(template.rules()).stream()
                    .map(RbacRisks.Risk::description)
                    .collect(Collectors.joining("; "));
            return Optional.of(new FieldProblem(
                    "role",
                    "the role template '" + role + "' is privileged (" + risks
                            + "): only a fleet-admin may grant it; ask a fleet-admin, or grant a template without"
                            + " these rules"));
        }
        return Optional.empty();
    }

    /**
     * Why a caller who is not a fleet-admin may not define {@code template}: one problem per privileged rule, naming it
     * ({@code rules[2]}) and its escalation paths. Empty when the template is not privileged.
     */
    public static List<FieldProblem> adminOnlyTemplate(RoleTemplate template) {
        List<FieldProblem> problems = new ArrayList<>();
        for (int i = 0; i < template.rules().size(); i++) {
            Set<RbacRisks.Risk> risks = RbacRisks.ofRule(template.rules().get(i));
            if (!risks.isEmpty()) {
                problems.add(new FieldProblem(
                        "rules[" + i + "]",
                        risks.stream().map(RbacRisks.Risk::description).collect(Collectors.joining("; "))
                                + ": only a fleet-admin may define a privileged role template; remove this rule or"
                                + " ask a fleet-admin"));
            }
        }
        return problems;
    }

    /**
     * Whether a grant needs a second fleet-admin: a privileged grant ({@link #privileged}), or one that reaches clusters
     * labelled {@code environment=prod}, by its scope or by the clusters it matches today.
     */
    public static boolean needsApproval(
            String role, RoleTemplate template, ClusterScope scope, Collection<FleetCluster> fleet) {
        return privileged(role, template)
                || scope.targetsProd()
                || fleet.stream().anyMatch(c -> c.isProd() && scope.matches(c));
    }
}
