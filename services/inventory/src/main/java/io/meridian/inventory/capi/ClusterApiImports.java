package io.meridian.inventory.capi;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.meridian.eventing.Await;
import io.meridian.inventory.config.InventoryConfig;
import io.meridian.inventory.credentials.ClusterCredentials;
import io.meridian.inventory.persistence.ClusterRegistry;
import io.meridian.inventory.registry.ClusterSpec;
import io.meridian.inventory.registry.RegistrationRules;
import io.meridian.servicekit.ProblemException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Cluster API import: a registered cluster labelled {@code meridian.io/capi-management=true} is a
 * management cluster; its {@code Cluster} objects and their {@code <name>-kubeconfig} secrets are
 * registered, updated and deregistered here as they come and go. The replica that owns the management
 * cluster runs its import, like any other connection. Only the namespaces of {@code
 * meridian.inventory.capi.namespaces} are read (all when unset, with a warning at startup), and a name belongs to
 * the namespace it was imported from ({@link ImportClaims}): a Cluster of the same name elsewhere is refused.
 */
@ApplicationScoped
public class ClusterApiImports {

    /** The label that marks a registered cluster as a Cluster API management cluster. */
    public static final String MANAGEMENT_LABEL = "meridian.io/capi-management";

    /** The label that names, on an imported cluster, the management cluster it came from. */
    public static final String MANAGED_BY_LABEL = "meridian.io/capi-management-cluster";

    private static final Logger LOG = Logger.getLogger(ClusterApiImports.class);
    private static final ResourceDefinitionContext CAPI_CLUSTERS = new ResourceDefinitionContext.Builder()
            .withGroup(ClusterApiMapping.GROUP)
            .withVersion("v1beta1")
            .withKind("Cluster")
            .withPlural("clusters")
            .withNamespaced(true)
            .build();
    private static final Duration RESYNC = Duration.ofSeconds(30);

    private final Map<String, Import> running = new ConcurrentHashMap<>();
    private final ClusterRegistry registry;
    // Empty: every namespace of a management cluster.
    private final Set<String> namespaces;

    ClusterApiImports(ClusterRegistry registry, InventoryConfig config) {
        this.registry = registry;
        this.namespaces = config.capi().namespaces().stream()
                .flatMap(List::stream)
                .map(String::trim)
                .filter(ns -> !ns.isEmpty())
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }

    void onStart(@Observes StartupEvent start) {
        if (namespaces.isEmpty()) {
            LOG.warn("meridian.inventory.capi.namespaces is not set: Cluster API imports read every namespace of"
                    + " every management cluster, so whoever may create a Cluster and its kubeconfig secret in any of"
                    + " them registers clusters in the fleet; set it to the namespaces your platform team controls");
        } else {
            LOG.infof("Cluster API imports read only the namespaces %s of management clusters", namespaces);
        }
    }

    public static boolean isManagementCluster(Map<String, String> labels) {
        return labels != null && "true".equals(labels.get(MANAGEMENT_LABEL));
    }

    /**
     * Starts importing from a management cluster, or keeps the running import; {@code client} opens a client of it
     * (the caller's, pinned to the address its connection judged).
     */
    public void ensure(String managementCluster, Supplier<KubernetesClient> client) {
        running.computeIfAbsent(managementCluster, name -> new Import(name, client).start());
    }

    public void stop(String managementCluster) {
        Import current = running.remove(managementCluster);
        if (current != null) {
            current.stop();
        }
    }

    /** One management cluster's import: informers mark it dirty, a loop converges the registry. */
    private final class Import {
        private final String management;
        private final Supplier<KubernetesClient> connect;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final AtomicBoolean dirty = new AtomicBoolean(true);
        // Kubeconfigs last registered, by cluster: CAPI providers rotate them (EKS tokens every ~15 min).
        private final Map<String, String> appliedKubeconfigs = new HashMap<>();
        private final Object wakeUp = new Object();
        private KubernetesClient client;
        // One informer per allowed namespace, or one for all namespaces when there is no allow-list.
        private final List<SharedIndexInformer<GenericKubernetesResource>> clusters = new ArrayList<>();
        private final List<SharedIndexInformer<Secret>> secrets = new ArrayList<>();
        // What was last reported as refused, so that a standing refusal is logged once, not every resync.
        private Set<String> refused = Set.of();

        Import(String management, Supplier<KubernetesClient> connect) {
            this.management = management;
            this.connect = connect;
        }

        Import start() {
            io.meridian.inventory.connect.Workers.start("capi-import-" + management, this::run);
            return this;
        }

        void stop() {
            stopped.set(true);
            synchronized (wakeUp) {
                wakeUp.notifyAll();
            }
        }

        private void run() {
            try {
                client = connect.get();
                if (namespaces.isEmpty()) {
                    clusters.add(client.genericKubernetesResources(CAPI_CLUSTERS)
                            .inAnyNamespace()
                            .inform(new Dirty<>(), 0));
                    secrets.add(client.secrets()
                            .inAnyNamespace()
                            .withLabel("cluster.x-k8s.io/cluster-name")
                            .inform(new Dirty<>(), 0));
                } else {
                    // Only the allowed namespaces are read, so the management cluster's credentials need no more.
                    for (String namespace : namespaces) {
                        clusters.add(client.genericKubernetesResources(CAPI_CLUSTERS)
                                .inNamespace(namespace)
                                .inform(new Dirty<>(), 0));
                        secrets.add(client.secrets()
                                .inNamespace(namespace)
                                .withLabel("cluster.x-k8s.io/cluster-name")
                                .inform(new Dirty<>(), 0));
                    }
                }
                LOG.infof(
                        "importing Cluster API clusters from management cluster %s (namespaces: %s)",
                        management, namespaces.isEmpty() ? "all" : namespaces);
                while (!stopped.get()) {
                    if (dirty.getAndSet(false)) {
                        converge();
                    }
                    synchronized (wakeUp) {
                        if (!dirty.get() && !stopped.get()) {
                            wakeUp.wait(RESYNC.toMillis());
                            dirty.set(true);
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warnf(
                        "Cluster API import from %s stopped: %s; it restarts with the next reconcile",
                        management, e.getMessage());
                running.remove(management, this);
            } finally {
                clusters.forEach(SharedIndexInformer::stop);
                secrets.forEach(SharedIndexInformer::stop);
                if (client != null) {
                    client.close();
                }
            }
        }

        /**
         * Desired: one registration per CAPI Cluster with a kubeconfig, in an allowed namespace, whose name it may
         * hold ({@link ImportClaims}). Observed: what we imported before.
         */
        private void converge() {
            List<ImportedCluster> found = new ArrayList<>();
            for (GenericKubernetesResource cluster :
                    clusters.stream().flatMap(i -> i.getStore().list().stream()).toList()) {
                try {
                    String namespace = cluster.getMetadata().getNamespace();
                    String name = cluster.getMetadata().getName();
                    Secret secret = secret(namespace + "/" + ClusterApiMapping.kubeconfigSecretName(name));
                    ImportedCluster imported = ClusterApiMapping.map(cluster, secret);
                    if (imported.hasKubeconfig() && !"Deleting".equals(imported.phase())) {
                        found.add(imported);
                    }
                } catch (IllegalArgumentException e) {
                    LOG.warnf(
                            "skipping CAPI cluster %s in %s: %s",
                            cluster.getMetadata().getName(), management, e.getMessage());
                }
            }
            List<ClusterRegistry.Registered> existing = await(registry::all);
            Map<String, ClusterRegistry.Registered> imported = new HashMap<>();
            Map<String, String> heldBy = new HashMap<>();
            for (ClusterRegistry.Registered r : existing) {
                if (management.equals(
                        r.cluster().labels == null ? null : r.cluster().labels.get(MANAGED_BY_LABEL))) {
                    imported.put(r.cluster().name, r);
                    heldBy.put(r.cluster().name, r.cluster().labels.get(ClusterApiMapping.CAPI_NAMESPACE_LABEL));
                }
            }
            ImportClaims.Resolution resolution =
                    ImportClaims.resolve(found, heldBy, ImportClaims.allowList(namespaces));
            Set<String> nowRefused = Set.copyOf(resolution.refusals());
            nowRefused.stream()
                    .filter(refusal -> !refused.contains(refusal))
                    .sorted()
                    .forEach(refusal -> LOG.warnf("management cluster %s: %s", management, refusal));
            refused = nowRefused;
            Map<String, ImportedCluster> desired = resolution.imports();
            Map<String, ClusterRegistry.Registered> byName = new HashMap<>();
            existing.forEach(r -> byName.put(r.cluster().name, r));
            desired.forEach((name, cluster) -> apply(cluster, byName.get(name)));
            imported.keySet().stream()
                    .filter(name -> !desired.containsKey(name))
                    .forEach(name -> {
                        LOG.infof("CAPI cluster %s is gone from %s; deregistering it", name, management);
                        try {
                            await(() -> registry.deregister(name));
                        } catch (ProblemException alreadyGone) {
                            // deregistered meanwhile
                        }
                    });
        }

        private Secret secret(String key) {
            for (SharedIndexInformer<Secret> informer : secrets) {
                Secret secret = informer.getStore().getByKey(key);
                if (secret != null) {
                    return secret;
                }
            }
            return null;
        }

        private void apply(ImportedCluster cluster, ClusterRegistry.Registered current) {
            Map<String, String> labels = new HashMap<>(cluster.labels());
            labels.put(MANAGED_BY_LABEL, management);
            ClusterCredentials credentials = new ClusterCredentials.Kubeconfig(cluster.kubeconfig());
            if (!ClusterCredentials.validate(credentials).isEmpty()) {
                LOG.warnf("CAPI cluster %s has an unusable kubeconfig; not importing it", cluster.name());
                return;
            }
            String server = ClusterCredentials.serverUrlOf((ClusterCredentials.Kubeconfig) credentials);
            ClusterSpec spec = new ClusterSpec(
                    cluster.name(),
                    null,
                    cluster.cloud(),
                    cluster.region(),
                    labels.get("environment"),
                    labels,
                    server,
                    null);
            var problems = RegistrationRules.check(spec, true);
            if (!problems.isEmpty()) {
                LOG.warnf("CAPI cluster %s cannot be registered: %s", cluster.name(), problems);
                return;
            }
            if (current == null) {
                LOG.infof(
                        "registering CAPI cluster %s (%s) from %s",
                        cluster.name(), cluster.cloud().wireName(), management);
                await(() -> registry.register(spec, credentials, "capi"));
                return;
            }
            if (!management.equals(current.cluster().labels.get(MANAGED_BY_LABEL))) {
                LOG.warnf(
                        "CAPI cluster %s has the name of a cluster registered otherwise; leaving both alone",
                        cluster.name());
                return;
            }
            boolean labelsChanged = !Objects.equals(current.cluster().labels, labels);
            boolean serverChanged = !Objects.equals(current.cluster().apiServerUrl, server);
            boolean kubeconfigChanged = !cluster.kubeconfig().equals(appliedKubeconfigs.get(cluster.name()));
            if (labelsChanged
                    || serverChanged
                    || kubeconfigChanged
                    || !Objects.equals(current.cluster().region, cluster.region())) {
                // The allowed namespaces of the management cluster are the authority on an import's labels,
                // prod or not (a fleet-admin's choice: the management label and the namespace allow-list).
                await(() -> registry.update(
                        cluster.name(),
                        new ClusterRegistry.Update(
                                null, cluster.region(), null, labels, null, kubeconfigChanged ? credentials : null),
                        true));
                appliedKubeconfigs.put(cluster.name(), cluster.kubeconfig());
            }
        }

        private final class Dirty<T> implements ResourceEventHandler<T> {
            @Override
            public void onAdd(T obj) {
                mark();
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                mark();
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                mark();
            }

            private void mark() {
                dirty.set(true);
                synchronized (wakeUp) {
                    wakeUp.notifyAll();
                }
            }
        }
    }

    private static <T> T await(java.util.function.Supplier<io.smallrye.mutiny.Uni<T>> work) {
        return Await.on(work);
    }
}
