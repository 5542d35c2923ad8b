package io.meridian.identity.domain;

import io.meridian.contracts.resource.PolicyRule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Who can do what where: the access Meridian's grants give, and the access the RBAC objects observed on clusters
 * give, including bindings Meridian does not manage; risky unmanaged bindings are findings.
 */
public final class AccessReview {

    /** What a review asks about; null fields do not filter. */
    public record Query(String subject, String cluster, String namespace) {}

    /**
     * One subject's access on one cluster: cluster-wide when {@code namespace} is null. {@code source} is {@code grant}
     * (Meridian wants it) or {@code observed} (it is there); {@code managed} says whether Meridian wrote the binding.
     */
    public record Entry(
            String cluster,
            String namespace,
            String subjectKind,
            String subjectName,
            String keycloakSubject,
            String role,
            String source,
            String grantId,
            String binding,
            boolean managed,
            List<PolicyRule> rules,
            Set<RbacRisks.Risk> risks) {}

    /** A risky binding Meridian does not manage. */
    public record Finding(
            String cluster,
            String kind,
            String namespace,
            String name,
            String role,
            List<RbacRisks.SubjectRef> subjects,
            Set<RbacRisks.Risk> risks,
            boolean kubernetesDefault) {}

    private final SubjectMapping mapping;

    public AccessReview(SubjectMapping mapping) {
        this.mapping = mapping;
    }

    public List<Entry> entries(
            Query query,
            Collection<FleetCluster> clusters,
            Collection<Grant> grants,
            Map<String, RoleTemplate> templates,
            Collection<ObservedRbac> observed) {
        List<Entry> entries = new ArrayList<>();
        for (FleetCluster cluster : clusters) {
            if (query.cluster() != null && !query.cluster().equals(cluster.id())) {
                continue;
            }
            for (Grant grant : grants) {
                RoleTemplate template = templates.get(grant.role());
                if (!grant.reaches(cluster) || !grant.approvalHolds(template)) {
                    continue;
                }
                SubjectMapping.KubernetesSubject k8s = mapping.map(grant.subject());
                List<PolicyRule> rules = template == null ? List.of() : template.rules();
                Set<RbacRisks.Risk> risks = RbacRisks.ofBinding(
                        template == null ? grant.role() : template.clusterRoleName(), List.of(), rules);
                List<String> namespaces =
                        grant.clusterWide() ? java.util.Collections.singletonList(null) : grant.namespaces();
                for (String ns : namespaces) {
                    entries.add(new Entry(
                            cluster.id(),
                            ns,
                            k8s.kind(),
                            k8s.name(),
                            grant.subject().key(),
                            grant.role(),
                            "grant",
                            grant.id(),
                            RoleBindingPlanner.bindingName(grant.id()),
                            true,
                            rules,
                            risks));
                }
            }
        }
        Map<String, ObservedRbac> roles = observed.stream()
                .filter(o -> !o.binding())
                .collect(Collectors.toMap(AccessReview::roleKey, Function.identity(), (a, b) -> a));
        for (ObservedRbac binding : observed) {
            if (!binding.binding()
                    || (query.cluster() != null && !query.cluster().equals(binding.clusterId()))) {
                continue;
            }
            List<PolicyRule> rules = boundRules(binding, roles);
            Set<RbacRisks.Risk> risks = RbacRisks.ofBinding(binding.roleRefName(), binding.subjects(), rules);
            for (RbacRisks.SubjectRef subject : binding.subjects()) {
                entries.add(new Entry(
                        binding.clusterId(),
                        binding.namespace(),
                        subject.kind(),
                        subject.namespace() == null ? subject.name() : subject.namespace() + ":" + subject.name(),
                        mapping.unmap(subject.kind(), subject.name())
                                .map(Subject::key)
                                .orElse(null),
                        binding.roleRefName(),
                        "observed",
                        binding.labels().get(RoleBindingPlanner.GRANT_LABEL),
                        binding.kind() + "/" + binding.name(),
                        binding.managedByMeridian(),
                        rules,
                        risks));
            }
        }
        return entries.stream()
                .filter(e -> query.namespace() == null
                        || e.namespace() == null
                        || query.namespace().equals(e.namespace()))
                .filter(e -> query.subject() == null || subjectMatches(query.subject(), e))
                .sorted(Comparator.comparing(Entry::cluster)
                        .thenComparing(e -> e.namespace() == null ? "" : e.namespace())
                        .thenComparing(Entry::subjectName)
                        .thenComparing(Entry::source)
                        .thenComparing(Entry::binding))
                .toList();
    }

    /** Risky bindings on clusters that Meridian does not manage, per cluster. */
    public List<Finding> findings(String cluster, Collection<ObservedRbac> observed) {
        Map<String, ObservedRbac> roles = observed.stream()
                .filter(o -> !o.binding())
                .collect(Collectors.toMap(AccessReview::roleKey, Function.identity(), (a, b) -> a));
        List<Finding> findings = new ArrayList<>();
        for (ObservedRbac binding : observed) {
            if (!binding.binding()
                    || binding.managedByMeridian()
                    || (cluster != null && !cluster.equals(binding.clusterId()))) {
                continue;
            }
            Set<RbacRisks.Risk> risks =
                    RbacRisks.ofBinding(binding.roleRefName(), binding.subjects(), boundRules(binding, roles));
            if (!risks.isEmpty()) {
                findings.add(new Finding(
                        binding.clusterId(),
                        binding.kind(),
                        binding.namespace(),
                        binding.name(),
                        binding.roleRefName(),
                        binding.subjects(),
                        risks,
                        binding.name().startsWith("system:") || "cluster-admin".equals(binding.name())));
            }
        }
        findings.sort(Comparator.comparing(Finding::cluster)
                .thenComparing(Finding::kubernetesDefault)
                .thenComparing(f -> f.namespace() == null ? "" : f.namespace())
                .thenComparing(Finding::name));
        return findings;
    }

    private boolean subjectMatches(String wanted, Entry entry) {
        if (wanted.equals(entry.subjectName()) || wanted.equals(entry.keycloakSubject())) {
            return true;
        }
        // "payments" matches group/payments and user/payments alike.
        return Optional.ofNullable(entry.keycloakSubject())
                .map(k -> k.substring(k.indexOf('/') + 1).equals(wanted))
                .orElse(false);
    }

    private static List<PolicyRule> boundRules(ObservedRbac binding, Map<String, ObservedRbac> roles) {
        String namespace = "ClusterRole".equals(binding.roleRefKind()) ? null : binding.namespace();
        ObservedRbac role = roles.get(binding.clusterId() + "/" + binding.roleRefKind() + "/"
                + (namespace == null ? "" : namespace) + "/" + binding.roleRefName());
        return role == null ? List.of() : role.rules();
    }

    private static String roleKey(ObservedRbac role) {
        return role.clusterId() + "/" + role.kind() + "/" + (role.namespace() == null ? "" : role.namespace()) + "/"
                + role.name();
    }
}
