package io.meridian.identity.domain;

import java.time.Instant;
import java.util.List;

/**
 * A fleet access grant: {@code subject} gets {@code role} (a built-in role or a role template) on the clusters of
 * {@code scope}, in {@code namespaces} (empty: cluster-wide), until {@code expiresAt} if set.
 */
public record Grant(
        String id,
        Subject subject,
        String role,
        ClusterScope scope,
        List<String> namespaces,
        Instant expiresAt,
        String reason,
        GrantState state,
        boolean approvalRequired,
        String createdBy,
        Instant createdAt,
        String approvedBy,
        Instant approvedAt,
        String endedBy,
        Instant endedAt) {

    public Grant {
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    }

    public boolean clusterWide() {
        return namespaces.isEmpty();
    }

    public boolean approved() {
        return approvedBy != null;
    }

    /**
     * Whether this grant puts RBAC on {@code cluster}: it is Active, its scope matches, and production clusters
     * are reached only by a grant a second fleet-admin approved (a grant made for staging never spills into a
     * cluster that later becomes prod).
     */
    public boolean reaches(FleetCluster cluster) {
        return state == GrantState.Active && scope.matches(cluster) && (!cluster.isProd() || approved());
    }

    public boolean expiredAt(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }
}
