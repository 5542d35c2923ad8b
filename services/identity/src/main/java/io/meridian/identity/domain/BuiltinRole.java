package io.meridian.identity.domain;

import java.util.Arrays;
import java.util.Optional;

/** The Kubernetes default ClusterRoles a grant may name directly. */
public enum BuiltinRole {
    VIEW("view", false),
    EDIT("edit", false),
    ADMIN("admin", true),
    CLUSTER_ADMIN("cluster-admin", true);

    private final String roleName;
    private final boolean adminOnly;

    BuiltinRole(String roleName, boolean adminOnly) {
        this.roleName = roleName;
        this.adminOnly = adminOnly;
    }

    /** The name of the ClusterRole every Kubernetes cluster has. */
    public String roleName() {
        return roleName;
    }

    public boolean adminOnly() {
        return adminOnly;
    }

    public static Optional<BuiltinRole> of(String name) {
        return Arrays.stream(values()).filter(r -> r.roleName.equals(name)).findFirst();
    }
}
