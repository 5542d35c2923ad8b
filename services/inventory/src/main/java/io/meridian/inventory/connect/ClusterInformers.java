package io.meridian.inventory.connect;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.meridian.inventory.observe.WatchedKind;
import java.util.Map;

/** Creates an informer for a watched kind: typed for the built-in kinds, generic for configured ones. */
final class ClusterInformers {

    private static final Map<String, Class<? extends HasMetadata>> TYPED = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/Node", Node.class),
            Map.entry("v1/Pod", Pod.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/PersistentVolume", PersistentVolume.class),
            Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("apps/v1/DaemonSet", DaemonSet.class),
            Map.entry("storage.k8s.io/v1/StorageClass", StorageClass.class),
            Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class),
            Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", ClusterRole.class),
            Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", ClusterRoleBinding.class));

    private ClusterInformers() {}

    /**
     * An informer that is not started yet; no periodic resync, the watch keeps it current. Its store holds each object
     * as JSON ({@link SerializedItemStore}): every cluster's every watched object is held, so the store is what
     * inventory's heap grows with.
     */
    static SharedIndexInformer<HasMetadata> create(KubernetesClient client, WatchedKind kind) {
        Class<? extends HasMetadata> type = TYPED.get(kind.apiVersion() + "/" + kind.kind());
        if (type != null) {
            return typed(client, type, kind.namespaced());
        }
        ResourceDefinitionContext context = new ResourceDefinitionContext.Builder()
                .withGroup(kind.group())
                .withVersion(kind.version())
                .withKind(kind.kind())
                .withPlural(kind.plural())
                .withNamespaced(kind.namespaced())
                .build();
        var generic = client.genericKubernetesResources(context);
        return storingJson(
                kind.namespaced() ? generic.inAnyNamespace().runnableInformer(0) : generic.runnableInformer(0),
                GenericKubernetesResource.class);
    }

    private static <T extends HasMetadata> SharedIndexInformer<HasMetadata> typed(
            KubernetesClient client, Class<T> type, boolean namespaced) {
        var resources = client.resources(type);
        return storingJson(
                namespaced ? resources.inAnyNamespace().runnableInformer(0) : resources.runnableInformer(0), type);
    }

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> SharedIndexInformer<HasMetadata> storingJson(
            SharedIndexInformer<T> informer, Class<T> type) {
        informer.itemStore(new SerializedItemStore<>(ClusterClients.mapper(), type));
        return (SharedIndexInformer<HasMetadata>) (SharedIndexInformer<?>) informer;
    }
}
