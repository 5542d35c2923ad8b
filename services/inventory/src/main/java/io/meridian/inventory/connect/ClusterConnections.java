package io.meridian.inventory.connect;

import io.fabric8.kubernetes.client.Config;
import io.meridian.eventing.Await;
import io.meridian.inventory.capi.ClusterApiImports;
import io.meridian.inventory.config.InventoryConfig;
import io.meridian.inventory.credentials.ClusterCredentials;
import io.meridian.inventory.observe.ObservedResourceMapper;
import io.meridian.inventory.observe.WatchedKind;
import io.meridian.inventory.observe.WatchedKinds;
import io.meridian.inventory.persistence.ClusterEntities;
import io.meridian.inventory.persistence.ClusterEntity;
import io.meridian.inventory.persistence.ClusterRegistry;
import io.meridian.inventory.persistence.CredentialVault;
import io.meridian.inventory.persistence.ObservedStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.jboss.logging.Logger;

/**
 * The connection reconciler: level-triggered, one reconcile per cluster at a time. Desired: a
 * connection for every registered cluster this replica owns, built from its current registration.
 * Observed: the running connections. An event only says "look at this cluster again"; a periodic
 * resync repairs whatever an event missed.
 */
@ApplicationScoped
public class ClusterConnections {

    private static final Logger LOG = Logger.getLogger(ClusterConnections.class);

    private final Map<String, ClusterConnection> running = new ConcurrentHashMap<>();
    private final List<java.util.function.Consumer<String>> connectedListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<InformerListener> informerListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final ExecutorService reconciles = Workers.pool("reconcile-");
    private final ClusterRegistry registry;
    private final ClusterApiImports capiImports;
    private final CredentialVault vault;
    private final ClusterOwnership ownership;
    private final ResourcePublisher publisher;
    private final InventoryConfig config;
    private final Clock clock;
    private final List<WatchedKind> kinds;
    private final ClusterEndpoints endpoints;
    private final ObservedResourceMapper mapper;
    private final ClusterNetwork network;
    // The registration revision last refused per cluster, so a refusal is logged once, not every resync.
    private final Map<String, String> refused = new ConcurrentHashMap<>();

    ClusterConnections(
            ClusterRegistry registry,
            ClusterApiImports capiImports,
            CredentialVault vault,
            ClusterOwnership ownership,
            ResourcePublisher publisher,
            InventoryConfig config,
            ClusterEndpoints endpoints,
            Clock clock,
            MeterRegistry meters,
            ClusterNetwork network) {
        this.registry = registry;
        this.network = network;
        this.endpoints = endpoints;
        this.mapper = new ObservedResourceMapper(
                config.observe().envValues().revealNamespaces().orElse(List.of()));
        this.capiImports = capiImports;
        this.vault = vault;
        this.ownership = ownership;
        this.publisher = publisher;
        this.config = config;
        this.clock = clock;
        this.kinds =
                WatchedKinds.withConfigured(config.connections().extraKinds().orElse(List.of()));
        meters.gaugeMapSize("meridian.inventory.connections", List.of(), running);
    }

    /** Schedules a reconcile of one cluster. */
    public void reconcileAsync(String name) {
        submit(() -> reconcile(name));
    }

    /** Schedules a reconcile of every cluster, registered or running. */
    public void reconcileAllAsync() {
        submit(this::reconcileAll);
    }

    private void submit(Runnable reconcile) {
        try {
            reconciles.submit(reconcile);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            // The service is stopping; the replicas that stay pick the clusters up.
        }
    }

    @Scheduled(every = "${meridian.inventory.connections.resync-interval:30s}", delayed = "10s")
    void periodicResync() {
        reconcileAllAsync();
    }

    /** Told of each informer a connection creates, before the informer starts. */
    @FunctionalInterface
    public interface InformerListener {
        void created(
                String cluster,
                String apiVersionKind,
                io.fabric8.kubernetes.client.informers.SharedIndexInformer<io.fabric8.kubernetes.api.model.HasMetadata>
                        informer);
    }

    /**
     * Called with each informer a connection creates (a connect or a relist creates them all anew), before it starts,
     * so that a handler added then hears the informer's list and every change after it. A handler added to a running
     * informer is first handed every object in its store, each parsed from its JSON ({@link SerializedItemStore}):
     * about a second of CPU for 100 clusters' Deployments, and the bundle engine's drift watch did it while applying.
     */
    public void onInformerCreated(InformerListener listener) {
        informerListeners.add(listener);
    }

    /** Called with a cluster's name each time it (re)connects: bundles waiting for it can be applied. */
    public void onConnected(java.util.function.Consumer<String> listener) {
        connectedListeners.add(listener);
    }

    /**
     * What this replica's connection to the cluster says now of the object of a {@code fleet.resources.v1} record key;
     * unknown without a connection here. A resync marker tombstones only what is gone by this, so a marker read late (a
     * replay, a consumer behind) never deletes an object that exists again.
     */
    public Presence presence(String name, String recordKey) {
        ClusterConnection c = running.get(name);
        return c == null ? Presence.UNKNOWN : c.presence(recordKey);
    }

    /** The client of a cluster this replica holds a live connection to. */
    public java.util.Optional<io.fabric8.kubernetes.client.KubernetesClient> client(String name) {
        ClusterConnection c = running.get(name);
        return c != null && c.isConnected() ? java.util.Optional.of(c.client()) : java.util.Optional.empty();
    }

    /**
     * The informer that observes a kind ({@code apiVersion/kind}) on a connected cluster, or null when that kind is
     * not observed there. The bundle engine's drift watch shares it rather than open a second watch of the kind.
     * A reconnect replaces it; the informer listeners hear of the new one before it starts, the connected listeners once
     * it has listed.
     */
    public io.fabric8.kubernetes.client.informers.SharedIndexInformer<io.fabric8.kubernetes.api.model.HasMetadata>
            observing(String name, String apiVersionKind) {
        ClusterConnection c = running.get(name);
        return c != null && c.isConnected() ? c.informerOf(apiVersionKind) : null;
    }

    void reconcileAll() {
        try {
            Map<String, ClusterEntity> registered = new java.util.HashMap<>();
            await(registry::all).forEach(r -> registered.put(r.cluster().name, r.cluster()));
            Set<String> names = new HashSet<>(running.keySet());
            names.addAll(registered.keySet());
            // One read of the registry for the whole pass: a cluster whose connection matches it is
            // left alone; any other is reconciled against a fresh read, never against this snapshot.
            for (String name : names) {
                ClusterConnection current = running.get(name);
                ClusterEntity seen = registered.get(name);
                boolean steady = current != null
                        && seen != null
                        && ownership.owns(name)
                        && current.isRunning()
                        && current.registrationVersion().equals(revisionOf(seen));
                if (!steady) {
                    reconcile(name);
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("periodic reconcile could not read the registry: %s", e.getMessage());
        }
    }

    void reconcile(String name) {
        ClusterEntity cluster;
        try {
            cluster = await(() -> registry.get(name)).cluster();
        } catch (io.meridian.servicekit.ProblemException notFound) {
            cluster = null;
        } catch (RuntimeException e) {
            LOG.warnf("could not read cluster %s, keeping its connection as it is: %s", name, e.getMessage());
            return;
        }
        reconcileWith(name, cluster);
    }

    /** Reconciles one cluster against its registration as just read (null: not registered). */
    private void reconcileWith(String name, ClusterEntity cluster) {
        synchronized (locks.computeIfAbsent(name, n -> new Object())) {
            ClusterConnection current = running.get(name);
            boolean wanted = cluster != null && ownership.owns(name);
            if (!wanted) {
                refused.remove(name);
                if (current != null) {
                    LOG.infof(
                            "disconnecting cluster %s (%s)",
                            name, cluster == null ? "deregistered" : "owned elsewhere");
                    running.remove(name).stop(true);
                }
                network.unpin(name);
                capiImports.stop(name); // a management cluster that went away imports no more
                return;
            }
            if (current != null
                    && current.isRunning()
                    && current.registrationVersion().equals(revisionOf(cluster))) {
                return; // Unchanged: the connection's own supervisor handles reachability.
            }
            if (current != null) {
                LOG.infof(
                        current.isRunning()
                                ? "registration of cluster %s changed, reconnecting"
                                : "connection of cluster %s had stopped, starting it again",
                        name);
                running.remove(name).stop(true);
                capiImports.stop(name);
            }
            network.unpin(name);
            start(cluster);
        }
    }

    private void start(ClusterEntity cluster) {
        String name = cluster.name;
        Config clientConfig;
        try {
            ClusterCredentials credentials = vault.open(name, cluster.credentialSecret);
            clientConfig = ClusterCredentials.toClientConfig(
                    cluster.apiServerUrl,
                    credentials,
                    config.connections().connectTimeout(),
                    config.connections().requestTimeout());
        } catch (RuntimeException e) {
            // Never log the exception itself: it may quote the credentials it could not use.
            LOG.errorf(
                    "cannot connect to cluster %s: its stored credentials are unusable (%s);"
                            + " replace them with PATCH /api/v1/clusters/%s",
                    name, e.getClass().getSimpleName(), name);
            return;
        }
        PinnedEndpoint endpoint = endpointAllowed(cluster, clientConfig);
        if (endpoint == null) {
            return;
        }
        var timing = new ClusterConnection.Timing(
                config.connections().probeInterval(),
                config.connections().probeTimeout(),
                config.connections().failuresBeforeUnreachable(),
                config.connections().maxReconnectBackoff(),
                config.connections().requestTimeout(),
                config.connections().degradedRetry(),
                config.connections().reconnectProbeInterval(),
                config.connections().watchStallTolerance());
        ClusterConnection connection = new ClusterConnection(
                ClusterEntities.spec(cluster),
                () -> ClusterClients.connect(clientConfig, network.vertx(), endpoint),
                endpoint,
                revisionOf(cluster),
                kinds,
                timing,
                publisher,
                mapper,
                status -> recordStatus(name, status),
                connected -> connectedListeners.forEach(l -> l.accept(connected)),
                (of, kind, informer) -> informerListeners.forEach(l -> l.created(of, kind, informer)),
                network::busyWithin,
                clock);
        network.pin(name, endpoint);
        running.put(name, connection);
        connection.start();
        if (ClusterApiImports.isManagementCluster(cluster.labels)) {
            // The import reads the management cluster through the same pinned address as its connection.
            capiImports.ensure(name, () -> ClusterClients.connect(clientConfig, network.vertx(), endpoint));
        }
    }

    /**
     * The allow-list check right before connecting: DNS may now answer otherwise than at registration, and Cluster API
     * imports never went through the REST API. The API server's name is resolved here once, and the connection goes to
     * the address judged (null when refused: the cluster is Unreachable with reason EndpointNotAllowed). A proxy is
     * judged the same way and {@code clientConfig} then names it by the judged address: Vert.x would resolve a proxy's
     * name itself, and the proxy leg carries no TLS name to keep.
     */
    private PinnedEndpoint endpointAllowed(ClusterEntity cluster, Config clientConfig) {
        PinnedEndpoint endpoint = endpoints.pin(clientConfig.getMasterUrl());
        Optional<String> refusal = endpoint.refusal().map(reason -> "API server: " + reason);
        if (refusal.isEmpty() && clientConfig.getHttpProxy() != null) {
            refusal = pinProxy(clientConfig.getHttpProxy(), clientConfig::setHttpProxy);
        }
        if (refusal.isEmpty() && clientConfig.getHttpsProxy() != null) {
            refusal = pinProxy(clientConfig.getHttpsProxy(), clientConfig::setHttpsProxy);
        }
        if (refusal.isPresent()) {
            String revision = revisionOf(cluster);
            if (!revision.equals(refused.put(cluster.name, revision))) {
                LOG.errorf(
                        "not connecting to cluster %s: %s; allow it in %s or change the registration",
                        cluster.name, refusal.get(), ClusterEndpoints.PROPERTY);
            }
            recordStatus(cluster.name, endpointRefused(refusal.get()));
            return null;
        }
        refused.remove(cluster.name);
        return endpoint;
    }

    /** Judges a proxy URL and hands {@code pinned} the URL naming the judged address; empty when allowed. */
    private Optional<String> pinProxy(String url, java.util.function.Consumer<String> pinned) {
        PinnedEndpoint proxy = endpoints.pin(url);
        if (proxy.refusal().isPresent()) {
            return proxy.refusal().map(reason -> "proxy: " + reason);
        }
        try {
            pinned.accept(proxy.addressedUrl());
            return Optional.empty();
        } catch (java.net.ConnectException e) {
            // Never the URL itself: a proxy URL may carry credentials.
            return Optional.of("proxy: " + e.getMessage());
        }
    }

    private static ObservedStatus endpointRefused(String reason) {
        return new ObservedStatus(
                io.meridian.contracts.cluster.ClusterPhase.Unreachable,
                List.of(
                        new ObservedStatus.ConditionState(
                                "Reachable",
                                io.meridian.contracts.cluster.ConditionStatus.False,
                                "EndpointNotAllowed",
                                reason),
                        new ObservedStatus.ConditionState(
                                "Ready", io.meridian.contracts.cluster.ConditionStatus.False, "Unreachable", null)),
                null,
                0,
                0,
                0,
                null,
                null,
                List.of());
    }

    /** Whether the status was recorded; a connection reports again what could not be. */
    private boolean recordStatus(String name, ObservedStatus status) {
        try {
            await(() -> registry.recordStatus(name, status));
            return true;
        } catch (RuntimeException e) {
            LOG.warnf(
                    "could not record status %s of cluster %s (%s); reported again at the next probe",
                    status.phase(), name, e.getMessage());
            return false;
        }
    }

    /**
     * Which registration a connection was built from: the version alone repeats when a cluster is
     * deregistered and registered again under the same name, the creation time does not.
     */
    private static String revisionOf(ClusterEntity cluster) {
        return cluster.createdAt.toInstant() + "#" + cluster.version;
    }

    private static <T> T await(java.util.function.Supplier<io.smallrye.mutiny.Uni<T>> work) {
        return Await.on(work);
    }

    void shutdown(@Observes ShutdownEvent event) {
        running.values().forEach(c -> c.stop(false));
        reconciles.shutdownNow();
    }
}
