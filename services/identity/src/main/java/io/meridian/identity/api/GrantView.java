package io.meridian.identity.api;

import io.meridian.identity.domain.Grant;
import io.meridian.identity.domain.GrantConvergence;
import io.meridian.identity.domain.SubjectMapping;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A grant as the API shows it, with its convergence over the fleet; {@code approvedDigest} is what the approver approved
 * and {@code reopenedBy} who changed its role template since, sending it back for approval.
 */
public record GrantView(
        String id,
        SubjectView subject,
        String role,
        ScopeView scope,
        List<String> namespaces,
        Instant expiresAt,
        String reason,
        String state,
        boolean approvalRequired,
        String createdBy,
        Instant createdAt,
        String approvedBy,
        Instant approvedAt,
        String endedBy,
        Instant endedAt,
        String approvedDigest,
        String reopenedBy,
        Instant reopenedAt,
        Status status) {

    /** The Keycloak subject and the Kubernetes subject it becomes on clusters. */
    public record SubjectView(String kind, String name, String kubernetesKind, String kubernetesName) {}

    /** The scope, as given. */
    public record ScopeView(Map<String, String> labels, String cloud, String environment) {}

    /** "Applied on N of M clusters", and what failed where. */
    public record Status(int clusters, int appliedClusters, String summary, List<GrantConvergence.Failure> failures) {}

    static GrantView of(Grant grant, GrantConvergence convergence, SubjectMapping mapping) {
        SubjectMapping.KubernetesSubject k8s = mapping.map(grant.subject());
        Status status = null;
        if (convergence != null) {
            status = new Status(
                    convergence.clusters(),
                    convergence.applied(),
                    "applied on " + convergence.applied() + " of " + convergence.clusters() + " clusters"
                            + (convergence.failures().isEmpty()
                                    ? ""
                                    : ", " + convergence.failures().size() + " failures"),
                    convergence.failures());
        }
        return new GrantView(
                grant.id(),
                new SubjectView(
                        grant.subject().kind().wireName(), grant.subject().name(), k8s.kind(), k8s.name()),
                grant.role(),
                new ScopeView(
                        grant.scope().labels(),
                        grant.scope().cloud(),
                        grant.scope().environment()),
                grant.namespaces(),
                grant.expiresAt(),
                grant.reason(),
                grant.state().name(),
                grant.approvalRequired(),
                grant.createdBy(),
                grant.createdAt(),
                grant.approvedBy(),
                grant.approvedAt(),
                grant.endedBy(),
                grant.endedAt(),
                grant.approvedDigest(),
                grant.reopenedBy(),
                grant.reopenedAt(),
                status);
    }
}
