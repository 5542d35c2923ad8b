package io.meridian.identity.domain;

import io.meridian.contracts.resource.PolicyRule;
import java.util.List;
import java.util.Map;

/**
 * A Role, ClusterRole, RoleBinding or ClusterRoleBinding as inventory observed it on a cluster; {@code namespace} is
 * null for cluster-scoped kinds, {@code roleRef*} null for roles, {@code rules} empty for bindings.
 */
public record ObservedRbac(
        String clusterId,
        String kind,
        String namespace,
        String name,
        Map<String, String> labels,
        String roleRefKind,
        String roleRefName,
        List<RbacRisks.SubjectRef> subjects,
        List<PolicyRule> rules) {

    public static final List<String> KINDS = List.of("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding");

    public ObservedRbac {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        subjects = subjects == null ? List.of() : List.copyOf(subjects);
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    public boolean binding() {
        return kind.endsWith("Binding");
    }

    /** Written by Meridian's bundle engine (any owner), as its labels say. */
    public boolean managedByMeridian() {
        return "meridian".equals(labels.get("app.kubernetes.io/managed-by"));
    }
}
