package io.meridian.identity.domain;

import java.util.Collection;
import java.util.Optional;

/**
 * The rules no one may bend: who may grant powerful roles, and which grants need a second fleet-admin. {@code
 * system:} subjects and roles are refused by validation already.
 */
public final class GuardRails {

    private GuardRails() {}

    /**
     * Why a caller who is not a fleet-admin may not grant {@code role}, or empty when they may: {@code admin}, {@code
     * cluster-admin} and privileged templates (wildcards, escalate/bind/impersonate) are for fleet-admins only.
     */
    public static Optional<String> adminOnly(String role, RoleTemplate template) {
        Optional<BuiltinRole> builtin = BuiltinRole.of(role);
        if (builtin.isPresent() && builtin.get().adminOnly()) {
            return Optional.of("Only a fleet-admin may grant the role '" + role + "'.");
        }
        if (template != null && template.privileged()) {
            return Optional.of("Only a fleet-admin may grant the role template '" + role
                    + "': it has wildcard verbs or resources, or may escalate, bind or impersonate.");
        }
        return Optional.empty();
    }

    /** Why a template change needs a fleet-admin, or empty. */
    public static Optional<String> adminOnlyTemplate(RoleTemplate template) {
        return template.privileged()
                ? Optional.of("Only a fleet-admin may define a privileged role template (wildcards, escalate, bind or"
                        + " impersonate).")
                : Optional.empty();
    }

    /**
     * Whether a grant needs a second fleet-admin: a grant of {@code cluster-admin}, or one that reaches clusters
     * labelled {@code environment=prod}, by its scope or by the clusters it matches today.
     */
    public static boolean needsApproval(String role, ClusterScope scope, Collection<FleetCluster> fleet) {
        return BuiltinRole.CLUSTER_ADMIN.roleName().equals(role)
                || scope.targetsProd()
                || fleet.stream().anyMatch(c -> c.isProd() && scope.matches(c));
    }
}
