package io.meridian.identity.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A fleet access grant: {@code subject} gets {@code role} (a built-in role or a role template) on the clusters of
 * {@code scope}, in {@code namespaces} (empty: cluster-wide), until {@code expiresAt} if set. {@code approvedDigest}
 * is what the approver approved ({@link #approvalDigest}); {@code reopenedBy} changed the role's content after that
 * and sent the grant back for approval.
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
        Instant endedAt,
        String approvedDigest,
        String reopenedBy,
        Instant reopenedAt) {

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
     * cluster that later becomes prod). The role's content is judged by {@link #approvalHolds}.
     */
    public boolean reaches(FleetCluster cluster) {
        return state == GrantState.Active && scope.matches(cluster) && (!cluster.isProd() || approved());
    }

    /**
     * Whether the grant may put its role on clusters as the role is now ({@code template} null for a built-in role): a
     * grant that needs approval (it did when created, or its role is privileged now) needs an approval of exactly this
     * subject, role content, scope and namespaces. A grant approved before approvals were bound ({@code approvedDigest}
     * null) holds until its template changes, which re-opens it.
     */
    public boolean approvalHolds(RoleTemplate template) {
        if (!approvalRequired && !GuardRails.privileged(role, template)) {
            return true;
        }
        if (!approved()) {
            return false;
        }
        return approvedDigest == null || approvedDigest.equals(approvalDigest(template));
    }

    /**
     * What a second fleet-admin approves, as one SHA-256: the subject, the role and, for a role template, the hash of
     * its rules ({@link RoleTemplate#contentHash}), the scope and the namespaces.
     */
    public String approvalDigest(RoleTemplate template) {
        List<String> fields = new ArrayList<>();
        fields.add(subject.key());
        fields.add(role);
        fields.add(template == null ? "builtin" : template.contentHash());
        new TreeMap<>(scope.asSelector()).forEach((key, value) -> {
            fields.add(key);
            fields.add(value);
        });
        fields.add("namespaces");
        fields.addAll(namespaces.stream().sorted().toList());
        return Digests.sha256(fields);
    }

    public boolean expiredAt(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }
}
