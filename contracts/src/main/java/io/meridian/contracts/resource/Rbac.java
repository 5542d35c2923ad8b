package io.meridian.contracts.resource;

import java.util.List;

/**
 * The RBAC content of a Role, ClusterRole, RoleBinding or ClusterRoleBinding: a binding has a
 * {@code roleRef} and subjects, a role has rules and a {@code null} roleRef.
 */
public record Rbac(RoleRef roleRef, List<Subject> subjects, List<PolicyRule> rules) {

    public Rbac {
        subjects = subjects == null ? List.of() : List.copyOf(subjects);
        rules = rules == null ? List.of() : List.copyOf(rules);
    }
}
