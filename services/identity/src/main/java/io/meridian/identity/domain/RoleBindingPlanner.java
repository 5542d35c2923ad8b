package io.meridian.identity.domain;

import io.meridian.contracts.resource.PolicyRule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Computes, for one cluster, the exact RBAC objects the active grants want there: one ClusterRoleBinding per
 * cluster-wide grant, one RoleBinding per namespace of a namespaced grant, and the ClusterRole of every role
 * template in use. Names are deterministic (from the grant id and template name) and DNS-1123 valid, and the
 * output is sorted, so the same grants always give byte-for-byte the same bundle.
 */
public final class RoleBindingPlanner {

    public static final String RBAC_API = "rbac.authorization.k8s.io";
    public static final String RBAC_VERSION = RBAC_API + "/v1";
    public static final String GRANT_LABEL = "meridian.io/grant";
    public static final String SUBJECT_ANNOTATION = "meridian.io/subject";
    public static final String ROLE_ANNOTATION = "meridian.io/role";
    public static final String TEMPLATE_LABEL = "meridian.io/role-template";

    private final SubjectMapping subjects;

    public RoleBindingPlanner(SubjectMapping subjects) {
        this.subjects = subjects;
    }

    public SubjectMapping subjects() {
        return subjects;
    }

    /** The name of every binding a grant creates. */
    public static String bindingName(String grantId) {
        return "meridian-grant-" + grantId;
    }

    /**
     * The objects wanted on {@code cluster}; empty when no grant reaches it. Grants whose role template is unknown
     * are skipped (a template in use cannot be deleted, so this only happens mid-change), and so are grants whose
     * approval does not cover the role as it is now ({@link Grant#approvalHolds}): fail closed, whatever changed it.
     */
    public List<Map<String, Object>> plan(
            FleetCluster cluster, Collection<Grant> grants, Map<String, RoleTemplate> templates) {
        Map<String, Map<String, Object>> clusterRoles = new TreeMap<>();
        Map<String, Map<String, Object>> clusterRoleBindings = new TreeMap<>();
        Map<String, Map<String, Object>> roleBindings = new TreeMap<>();
        List<Grant> reaching = grants.stream()
                .filter(g -> g.reaches(cluster) && g.approvalHolds(templates.get(g.role())))
                .sorted(Comparator.comparing(Grant::id))
                .toList();
        for (Grant grant : reaching) {
            String roleName;
            if (BuiltinRole.of(grant.role()).isPresent()) {
                roleName = grant.role();
            } else {
                RoleTemplate template = templates.get(grant.role());
                if (template == null) {
                    continue;
                }
                roleName = template.clusterRoleName();
                clusterRoles.computeIfAbsent(roleName, n -> clusterRole(template));
            }
            if (grant.clusterWide()) {
                clusterRoleBindings.put(bindingName(grant.id()), binding("ClusterRoleBinding", null, grant, roleName));
            } else {
                for (String namespace : grant.namespaces().stream().sorted().toList()) {
                    roleBindings.put(
                            namespace + "/" + bindingName(grant.id()),
                            binding("RoleBinding", namespace, grant, roleName));
                }
            }
        }
        List<Map<String, Object>> objects = new ArrayList<>();
        objects.addAll(clusterRoles.values());
        objects.addAll(clusterRoleBindings.values());
        objects.addAll(roleBindings.values());
        return objects;
    }

    private Map<String, Object> binding(String kind, String namespace, Grant grant, String roleName) {
        SubjectMapping.KubernetesSubject subject = subjects.map(grant.subject());
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", bindingName(grant.id()));
        if (namespace != null) {
            metadata.put("namespace", namespace);
        }
        metadata.put("labels", Map.of(GRANT_LABEL, grant.id()));
        metadata.put(
                "annotations",
                new TreeMap<>(Map.of(SUBJECT_ANNOTATION, grant.subject().key(), ROLE_ANNOTATION, grant.role())));
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("apiVersion", RBAC_VERSION);
        manifest.put("kind", kind);
        manifest.put("metadata", metadata);
        manifest.put("roleRef", new TreeMap<>(Map.of("apiGroup", RBAC_API, "kind", "ClusterRole", "name", roleName)));
        manifest.put(
                "subjects",
                List.of(new TreeMap<>(Map.of("apiGroup", RBAC_API, "kind", subject.kind(), "name", subject.name()))));
        return manifest;
    }

    private static Map<String, Object> clusterRole(RoleTemplate template) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", template.clusterRoleName());
        metadata.put("labels", Map.of(TEMPLATE_LABEL, template.name()));
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("apiVersion", RBAC_VERSION);
        manifest.put("kind", "ClusterRole");
        manifest.put("metadata", metadata);
        manifest.put(
                "rules", template.rules().stream().map(RoleBindingPlanner::rule).toList());
        return manifest;
    }

    private static Map<String, Object> rule(PolicyRule rule) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!rule.apiGroups().isEmpty()) {
            out.put("apiGroups", rule.apiGroups());
        }
        if (!rule.resources().isEmpty()) {
            out.put("resources", rule.resources());
        }
        if (!rule.resourceNames().isEmpty()) {
            out.put("resourceNames", rule.resourceNames());
        }
        if (!rule.nonResourceURLs().isEmpty()) {
            out.put("nonResourceURLs", rule.nonResourceURLs());
        }
        out.put("verbs", rule.verbs());
        return out;
    }
}
