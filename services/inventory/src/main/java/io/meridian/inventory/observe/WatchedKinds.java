package io.meridian.inventory.observe;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The kinds inventory watches on every cluster: the built-in ones plus those added by configuration. */
public final class WatchedKinds {

    /** The built-in kinds that fleet services read, cluster-scoped ones first. */
    public static final List<WatchedKind> BUILT_IN = List.of(
            new WatchedKind("", "v1", "Namespace", "namespaces", false),
            new WatchedKind("", "v1", "Node", "nodes", false),
            new WatchedKind("", "v1", "PersistentVolume", "persistentvolumes", false),
            new WatchedKind("storage.k8s.io", "v1", "StorageClass", "storageclasses", false),
            new WatchedKind("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false),
            new WatchedKind("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false),
            new WatchedKind("", "v1", "Pod", "pods", true),
            new WatchedKind("", "v1", "Service", "services", true),
            new WatchedKind("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", true),
            new WatchedKind("apps", "v1", "Deployment", "deployments", true),
            new WatchedKind("apps", "v1", "StatefulSet", "statefulsets", true),
            new WatchedKind("apps", "v1", "DaemonSet", "daemonsets", true),
            new WatchedKind("rbac.authorization.k8s.io", "v1", "Role", "roles", true),
            new WatchedKind("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true));

    private WatchedKinds() {}

    /**
     * The built-in kinds followed by the configured ones, in configuration order.
     *
     * @throws IllegalArgumentException when a spec is malformed or names a kind (group and kind) already watched
     */
    public static List<WatchedKind> withConfigured(List<String> configuredSpecs) {
        List<WatchedKind> kinds = new ArrayList<>(BUILT_IN);
        Map<String, WatchedKind> byGroupKind = new HashMap<>();
        BUILT_IN.forEach(k -> byGroupKind.put(groupKind(k), k));
        for (String spec : configuredSpecs == null ? List.<String>of() : configuredSpecs) {
            WatchedKind kind = WatchedKind.parse(spec);
            WatchedKind existing = byGroupKind.putIfAbsent(groupKind(kind), kind);
            if (existing != null) {
                throw new IllegalArgumentException("watched kind '" + spec + "' is already watched as '"
                        + existing.spec() + "': list each kind once");
            }
            kinds.add(kind);
        }
        return List.copyOf(kinds);
    }

    private static String groupKind(WatchedKind kind) {
        return kind.group() + "/" + kind.kind();
    }
}
