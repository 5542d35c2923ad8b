package io.meridian.inventory.bundle;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Watches the objects Meridian manages on each cluster, per kind, and reports every change or deletion to
 * the engine, which decides whether it is drift. A kind the cluster connection already observes (RBAC, for
 * instance) is followed through that connection's informer, so each kind is watched once per cluster and its
 * cache is warm before the first bundle arrives; other kinds get an informer of their own, filtered by the
 * managed-by label. Kinds without a typed model in the client (custom resources) are covered by the engine's
 * periodic resync instead.
 *
 * <p>The handler on a connection's informer is added before the informer starts ({@link #informerCreated}) and passes
 * on every change of a managed object of its kind while that informer is the connection's current one, connected,
 * whether or not a bundle declares the kind yet (the engine ignores an object no bundle wants). What the informer's
 * list finds before the connection is up is judged after it ({@link #changedWhileAway}), for the objects bundles want
 * there only. Added when a bundle first declared the kind, the handler was handed every object the informer held, each
 * parsed from its JSON, while the bundle waited: with 100 clusters declaring a kind at once, a second of CPU that
 * delayed the whole fan-out ({@code bench inventory}'s first round). The run that declares a kind needs no such replay:
 * it applies every object it wants.
 */
final class DriftWatch {

    /** Receives a live object that changed ({@code deleted=false}) or vanished. */
    @FunctionalInterface
    interface Listener {
        void changed(String cluster, HasMetadata live, boolean deleted);
    }

    /** The informer observing a kind ({@code apiVersion/kind}) on a cluster, or null when none does. */
    @FunctionalInterface
    interface ObservedKinds {
        SharedIndexInformer<HasMetadata> informer(String cluster, String apiVersionKind);
    }

    /** How one kind is followed on one cluster: our own informer, or a handler on the connection's. */
    private record Watch(SharedIndexInformer<? extends HasMetadata> informer, Handler<?> handler, boolean shared) {
        void stop() {
            if (shared) {
                removeHandler(informer, handler);
            } else {
                informer.stop();
            }
        }
    }

    private static final Logger LOG = Logger.getLogger(DriftWatch.class);

    private final Listener listener;
    private final ObservedKinds observed;
    private final Map<String, KubernetesClient> clients = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Watch>> watches = new ConcurrentHashMap<>();
    // The connections' informers that carry a handler of ours from before they started; weak, as a connection replaces
    // its informers at every connect.
    private final Set<SharedIndexInformer<?>> handledFromStart =
            Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private volatile boolean stopped;

    DriftWatch(Listener listener, ObservedKinds observed) {
        this.listener = listener;
        this.observed = observed;
    }

    /**
     * Adds a handler to an informer a cluster connection is about to start, observing {@code apiVersionKind}: it is
     * handed every object of the kind from the informer's list on, nothing twice, and passes on the managed ones once
     * the connection is up (what the list found before is judged by {@link #changedWhileAway}).
     */
    void informerCreated(String cluster, String apiVersionKind, SharedIndexInformer<HasMetadata> informer) {
        int slash = apiVersionKind.lastIndexOf('/');
        informer.addEventHandler(new Handler<>(
                cluster, apiVersionKind.substring(0, slash), apiVersionKind.substring(slash + 1), informer));
        handledFromStart.add(informer);
    }

    /**
     * Passes on, as changed, each of {@code wanted} (objects bundles want on the cluster) that the connection's
     * informers hold: what the first list after a connect found of them, which their handlers did not pass on while the
     * connection was not up. The watch of a connection that was away saw nothing meanwhile; an object changed then is
     * drift too. Only the wanted objects are read from the informers' stores, not every object of their kinds.
     */
    void changedWhileAway(String cluster, java.util.Collection<DesiredObject> wanted) {
        for (DesiredObject object : wanted) {
            String apiVersionKind =
                    object.ref().apiVersion() + "/" + object.ref().kind();
            SharedIndexInformer<HasMetadata> shared = observed.informer(cluster, apiVersionKind);
            if (shared == null || !handledFromStart.contains(shared)) {
                continue; // an informer of our own, or a handler added to a running one: both hear the whole list
            }
            BundleApplier.Cached cached = cached(cluster, object);
            if (cached.live() != null) {
                listener.changed(cluster, cached.live(), false);
            }
        }
    }

    /** Makes sure every kind is watched on the cluster with the given (current) client. */
    synchronized void watch(String cluster, KubernetesClient client, List<String> apiVersionKinds) {
        if (clients.get(cluster) != client) {
            stop(cluster);
            clients.put(cluster, client);
        }
        Map<String, Watch> byKind = watches.computeIfAbsent(cluster, c -> new ConcurrentHashMap<>());
        for (String apiVersionKind : apiVersionKinds) {
            SharedIndexInformer<HasMetadata> shared = observed.informer(cluster, apiVersionKind);
            if (shared != null && handledFromStart.contains(shared)) {
                // Followed since the informer started; an informer of our own, or a handler on the connection's
                // earlier informer, is not needed any more.
                Watch replaced = byKind.remove(apiVersionKind);
                if (replaced != null) {
                    replaced.stop();
                }
                continue;
            }
            Watch existing = byKind.get(apiVersionKind);
            if (existing != null && (shared == null ? !existing.shared() : existing.informer() == shared)) {
                continue; // already followed, through the current informer
            }
            if (existing != null) {
                existing.stop(); // the connection replaced its informer, or now observes the kind itself
                byKind.remove(apiVersionKind);
            }
            int slash = apiVersionKind.lastIndexOf('/');
            String apiVersion = apiVersionKind.substring(0, slash);
            String kind = apiVersionKind.substring(slash + 1);
            if (shared != null) {
                // An informer the connection created before the engine asked to be told (a start-up race): added to it
                // running, the handler first hears of every object already there.
                Handler<HasMetadata> handler = new Handler<>(cluster, apiVersion, kind);
                shared.addEventHandler(handler);
                byKind.put(apiVersionKind, new Watch(shared, handler, true));
                continue;
            }
            Class<? extends HasMetadata> type = typeOf(client, apiVersion, kind);
            if (type == null) {
                continue;
            }
            try {
                SharedIndexInformer<? extends HasMetadata> informer = client.resources(type)
                        .inAnyNamespace()
                        .withLabel(DesiredObject.MANAGED_BY, DesiredObject.MERIDIAN)
                        .runnableInformer(0);
                Handler<?> handler = addHandler(informer, cluster, apiVersion, kind);
                byKind.put(apiVersionKind, new Watch(informer, handler, false));
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
     * The object as the watch last saw it: the connection's informer for a kind the connection observes, else our own.
     * Unknown when neither observes its kind (yet), the initial list has not completed or the watch is not open: then
     * only the API server knows. A known absence may still be wrong (the
     * watch lags, or an informer of our own does not see unmanaged objects): the applier confirms an absence with a
     * read unless the cache is the connection's, which sees every object of the kind.
     */
    BundleApplier.Cached cached(String cluster, DesiredObject object) {
        String apiVersionKind = object.ref().apiVersion() + "/" + object.ref().kind();
        // The connection's informer sees every object of the kind; one of our own sees only Meridian's.
        SharedIndexInformer<? extends HasMetadata> informer = observed.informer(cluster, apiVersionKind);
        boolean shared = informer != null;
        if (!shared) {
            Map<String, Watch> byKind = watches.get(cluster);
            Watch watch = byKind == null ? null : byKind.get(apiVersionKind);
            informer = watch == null || watch.shared() ? null : watch.informer();
        }
        // A watch being reopened (or one that cannot be) has missed what happened meanwhile: only the server knows.
        if (informer == null || !informer.hasSynced() || !informer.isRunning() || !informer.isWatching()) {
            return BundleApplier.Cached.UNKNOWN;
        }
        // The informer's own key function, as its store keys the object.
        HasMetadata live = informer.getStore()
                .getByKey(io.fabric8.kubernetes.client.informers.cache.Cache.namespaceKeyFunc(
                        object.ref().namespace(), object.ref().name()));
        return new BundleApplier.Cached(
                true,
                live == null
                        ? null
                        : withKind(live, object.ref().apiVersion(), object.ref().kind()),
                shared);
    }

    private <T extends HasMetadata> Handler<T> addHandler(
            SharedIndexInformer<T> informer, String cluster, String apiVersion, String kind) {
        Handler<T> handler = new Handler<>(cluster, apiVersion, kind);
        informer.addEventHandler(handler);
        return handler;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void removeHandler(SharedIndexInformer<? extends HasMetadata> informer, Handler<?> handler) {
        ((SharedIndexInformer) informer).removeEventHandler(handler);
    }

    private synchronized void forget(
            String cluster, String apiVersionKind, SharedIndexInformer<? extends HasMetadata> informer) {
        Map<String, Watch> byKind = watches.get(cluster);
        Watch watch = byKind == null ? null : byKind.get(apiVersionKind);
        if (watch != null && watch.informer() == informer) {
            byKind.remove(apiVersionKind);
            watch.stop();
        }
    }

    synchronized void stop(String cluster) {
        Map<String, Watch> byKind = watches.remove(cluster);
        if (byKind != null) {
            byKind.values().forEach(Watch::stop);
        }
        clients.remove(cluster);
    }

    synchronized void stopAll() {
        stopped = true;
        List.copyOf(watches.keySet()).forEach(this::stop);
    }

    /**
     * Objects of a typed list can come without apiVersion and kind; comparisons with a manifest need them. Setting
     * them is idempotent, so it does not matter that the connection's own handler may do the same at once.
     */
    private static HasMetadata withKind(HasMetadata object, String apiVersion, String kind) {
        if (object.getKind() == null || object.getApiVersion() == null) {
            object.setApiVersion(apiVersion);
            if (object instanceof GenericKubernetesResource generic) {
                generic.setKind(kind);
            }
        }
        return object;
    }

    /** The object as it was labelled, with the field managers it has now: what a drift by unlabelling reports. */
    static HasMetadata unlabelled(HasMetadata before, HasMetadata now, String apiVersion, String kind) {
        GenericKubernetesResource object = new GenericKubernetesResource();
        object.setApiVersion(before.getApiVersion() == null ? apiVersion : before.getApiVersion());
        object.setKind(before.getKind() == null ? kind : before.getKind());
        object.setMetadata(new ObjectMetaBuilder(before.getMetadata())
                .withManagedFields(now.getMetadata().getManagedFields())
                .build());
        return object;
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
        private final String apiVersion;
        private final String kind;
        // The connection's informer this handler was added to before it started; null for one added later or to an
        // informer of our own, which pass on everything they are handed.
        private final SharedIndexInformer<HasMetadata> fromStart;

        Handler(String cluster, String apiVersion, String kind) {
            this(cluster, apiVersion, kind, null);
        }

        Handler(String cluster, String apiVersion, String kind, SharedIndexInformer<HasMetadata> fromStart) {
            this.cluster = cluster;
            this.apiVersion = apiVersion;
            this.kind = kind;
            this.fromStart = fromStart;
        }

        /**
         * Whether what this handler is handed now may be drift: not while its connection lists (the engine judges what
         * the list found once the connection is up), nor from an informer a reconnect replaced, nor once stopped.
         */
        private boolean passesOn() {
            return fromStart == null || (!stopped && observed.informer(cluster, apiVersion + "/" + kind) == fromStart);
        }

        @Override
        public void onAdd(T obj) {
            // Our own creations, and the initial list: an object changed while nobody watched is drift too.
            changed(obj, false);
        }

        @Override
        public void onUpdate(T oldObj, T newObj) {
            if (DesiredObject.ownerOf(newObj.getMetadata().getLabels()) == null
                    && DesiredObject.ownerOf(oldObj.getMetadata().getLabels()) != null
                    && passesOn()) {
                // Someone took our labels off: for a label-filtered informer the object would have vanished, and
                // it is repaired as if it had. It is named by the labels it had, and the field managers it has now
                // say who took them.
                listener.changed(cluster, unlabelled(oldObj, newObj, apiVersion, kind), true);
                return;
            }
            changed(newObj, false);
        }

        @Override
        public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            changed(obj, true);
        }

        private void changed(T obj, boolean deleted) {
            // A shared informer sees every object of the kind; only the ones Meridian manages can drift.
            if (DesiredObject.ownerOf(obj.getMetadata().getLabels()) != null && passesOn()) {
                listener.changed(cluster, withKind(obj, apiVersion, kind), deleted);
            }
        }
    }
}
