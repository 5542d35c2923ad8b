package io.meridian.fleetsim;

import java.util.List;
import java.util.Locale;

/** Where a kind of Kubernetes object lives in the API: group, version, plural and whether it is namespaced. */
record ResourceKind(String group, String version, String kind, String plural, boolean namespaced) {

    static final ResourceKind CAPI_CLUSTER =
            new ResourceKind("cluster.x-k8s.io", "v1beta1", "Cluster", "clusters", true);

    private static final List<ResourceKind> KNOWN = List.of(
            core("Namespace", "namespaces", false),
            core("Node", "nodes", false),
            core("Pod", "pods", true),
            core("Service", "services", true),
            core("ServiceAccount", "serviceaccounts", true),
            core("ConfigMap", "configmaps", true),
            core("Secret", "secrets", true),
            core("PersistentVolume", "persistentvolumes", false),
            core("PersistentVolumeClaim", "persistentvolumeclaims", true),
            apps("Deployment", "deployments"),
            apps("ReplicaSet", "replicasets"),
            apps("StatefulSet", "statefulsets"),
            apps("DaemonSet", "daemonsets"),
            new ResourceKind("storage.k8s.io", "v1", "StorageClass", "storageclasses", false),
            rbac("Role", "roles", true),
            rbac("RoleBinding", "rolebindings", true),
            rbac("ClusterRole", "clusterroles", false),
            rbac("ClusterRoleBinding", "clusterrolebindings", false),
            new ResourceKind(
                    "apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false),
            CAPI_CLUSTER);

    /** The known kind of this name, case-insensitively ({@code rolebinding} and {@code RoleBinding} both work). */
    static ResourceKind of(String kind) {
        for (ResourceKind k : KNOWN) {
            if (k.kind.equalsIgnoreCase(kind)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown kind '" + kind + "' (known: "
                + KNOWN.stream().map(ResourceKind::kind).toList() + ")");
    }

    String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** The collection path, e.g. {@code /apis/apps/v1/namespaces/payments/deployments}. */
    String collectionPath(String namespace) {
        String base = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
        if (namespaced && namespace != null) {
            return base + "/namespaces/" + namespace + "/" + plural;
        }
        return base + "/" + plural;
    }

    String objectPath(String namespace, String name) {
        return collectionPath(namespace) + "/" + name;
    }

    private static ResourceKind core(String kind, String plural, boolean namespaced) {
        return new ResourceKind("", "v1", kind, plural, namespaced);
    }

    private static ResourceKind apps(String kind, String plural) {
        return new ResourceKind("apps", "v1", kind, plural, true);
    }

    private static ResourceKind rbac(String kind, String plural, boolean namespaced) {
        return new ResourceKind("rbac.authorization.k8s.io", "v1", kind, plural, namespaced);
    }

    @Override
    public String toString() {
        return kind.toLowerCase(Locale.ROOT);
    }
}
