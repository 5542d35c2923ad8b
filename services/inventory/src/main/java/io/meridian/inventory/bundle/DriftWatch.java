package io.meridian.inventory.bundle;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Watches the objects Meridian manages on each cluster (by the managed-by label), per kind, and reports
 * every change or deletion to the engine, which decides whether it is drift. Kinds without a typed
 * model in the client (custom resources) are covered by the engine's periodic resync instead.
 */
final class DriftWatch {

    /** Receives a live object that changed ({@code deleted=false}) or vanished. */
    @FunctionalInterface
    interface Listener {
        void changed(String cluster, HasMetadata live, boolean deleted);
    }

    private static final Logger LOG = Logger.getLogger(DriftWatch.class);

    private final Listener listener;
    private final Map<String, KubernetesClient> clients = new ConcurrentHashMap<>();
    private final Map<String, Map<String, SharedIndexInformer<? extends HasMetadata>>> informers =
            new ConcurrentHashMap<>();

    DriftWatch(Listener listener) {
        this.listener = listener;
    }

    /** Makes sure every kind is watched on the cluster with the given (current) client. */
    synchronized void watch(String cluster, KubernetesClient client, List<String> apiVersionKinds) {
        if (clients.get(cluster) != client) {
            stop(cluster);
            clients.put(cluster, client);
        }
        Map<String, SharedIndexInformer<? extends HasMetadata>> byKind =
                informers.computeIfAbsent(cluster, c -> new ConcurrentHashMap<>());
        for (String apiVersionKind : apiVersionKinds) {
            if (byKind.containsKey(apiVersionKind)) {
                continue;
            }
            int slash = apiVersionKind.lastIndexOf('/');
            Class<? extends HasMetadata> type =
                    typeOf(client, apiVersionKind.substring(0, slash), apiVersionKind.substring(slash + 1));
            if (type == null) {
                continue;
            }
            try {
                SharedIndexInformer<? extends HasMetadata> informer = client.resources(type)
                        .inAnyNamespace()
                        .withLabel(DesiredObject.MANAGED_BY, DesiredObject.MERIDIAN)
                        .runnableInformer(0);
                addHandler(informer, cluster);
                byKind.put(apiVersionKind, informer);
                // Not waited for: the first apply must not wait for the initial list (it reads the API server
                // until the cache has synced), and the initial list is checked for drift like any change.
                informer.start().whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        LOG.warnf(
                                "cluster %s: cannot watch %s for drift (%s); retried with the next apply",
                                cluster, apiVersionKind, failure.getMessage());
                        forget(cluster, apiVersionKind, informer);
                    }
                });
            } catch (RuntimeException e) {
                LOG.warnf(
                        "cluster %s: cannot watch %s for drift (%s); the periodic resync covers it",
                        cluster, apiVersionKind, e.getMessage());
            }
        }
    }

    /**
     * The managed object as the watch last saw it, or null when its kind is not watched yet, the initial list
     * has not completed, or the object is not there (or not labelled managed): then only the API server knows.
     */
    HasMetadata cached(String cluster, DesiredObject object) {
        Map<String, SharedIndexInformer<? extends HasMetadata>> byKind = informers.get(cluster);
        SharedIndexInformer<? extends HasMetadata> informer = byKind == null
                ? null
                : byKind.get(object.ref().apiVersion() + "/" + object.ref().kind());
        if (informer == null || !informer.hasSynced()) {
            return null;
        }
        String namespace = object.ref().namespace();
        return informer.getStore()
                .getByKey(
                        namespace == null
                                ? object.ref().name()
                                : namespace + "/" + object.ref().name());
    }

    private <T extends HasMetadata> void addHandler(SharedIndexInformer<T> informer, String cluster) {
        informer.addEventHandler(new Handler<>(cluster));
    }

    private synchronized void forget(
            String cluster, String apiVersionKind, SharedIndexInformer<? extends HasMetadata> informer) {
        Map<String, SharedIndexInformer<? extends HasMetadata>> byKind = informers.get(cluster);
        if (byKind != null && byKind.remove(apiVersionKind, informer)) {
            informer.stop();
        }
    }

    synchronized void stop(String cluster) {
        Map<String, SharedIndexInformer<? extends HasMetadata>> byKind = informers.remove(cluster);
        if (byKind != null) {
            byKind.values().forEach(SharedIndexInformer::stop);
        }
        clients.remove(cluster);
    }

    synchronized void stopAll() {
        List.copyOf(informers.keySet()).forEach(this::stop);
    }

    private static Class<? extends HasMetadata> typeOf(KubernetesClient client, String apiVersion, String kind) {
        HasMetadata probe = client.getKubernetesSerialization()
                .convertValue(
                        Map.of("apiVersion", apiVersion, "kind", kind, "metadata", Map.of("name", "probe")),
                        HasMetadata.class);
        return probe instanceof GenericKubernetesResource ? null : probe.getClass();
    }

    private final class Handler<T extends HasMetadata> implements ResourceEventHandler<T> {
        private final String cluster;

        Handler(String cluster) {
            this.cluster = cluster;
        }

        @Override
        public void onAdd(T obj) {
            // Our own creations, and the initial list: an object changed while nobody watched is drift too.
            listener.changed(cluster, obj, false);
        }

        @Override
        public void onUpdate(T oldObj, T newObj) {
            listener.changed(cluster, newObj, false);
        }

        @Override
        public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            listener.changed(cluster, obj, true);
        }
    }
}
