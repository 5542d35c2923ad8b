package io.meridian.inventory.connect;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.meridian.contracts.cluster.ClusterPhase;
import io.meridian.contracts.cluster.ConditionStatus;
import io.meridian.contracts.resource.ResyncMarker.GroupKind;
import io.meridian.inventory.observe.ClusterFacts;
import io.meridian.inventory.observe.ObservedResourceMapper;
import io.meridian.inventory.observe.WatchedKind;
import io.meridian.inventory.persistence.ObservedStatus;
import io.meridian.inventory.persistence.ObservedStatus.ConditionState;
import io.meridian.inventory.registry.ClusterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One cluster's connection, run by a supervisor thread: probe the API server, (re)connect with fresh
 * informers behind a resync marker, publish every object change, and report status. An unreachable
 * cluster keeps its last published objects: nothing is reported deleted because the cluster went away,
 * nor because a kind could not be listed (the completed marker names such kinds as not resynced).
 */
final class ClusterConnection {

    /**
     * Timing of probes and reconnects: a connected cluster is probed every {@code probeInterval}, an unreachable one
     * every {@code reconnectProbeInterval}; {@code maxBackoff} caps the wait before a full relist of a cluster whose
     * connections keep ending soon after they were made; {@code watchStallTolerance} is how long a listed kind's watch
     * may stay closed while the cluster answers probes before the cluster is relisted.
     */
    record Timing(
            Duration probeInterval,
            Duration probeTimeout,
            int failuresBeforeUnreachable,
            Duration maxBackoff,
            Duration syncTimeout,
            Duration degradedRetry,
            Duration reconnectProbeInterval,
            Duration watchStallTolerance) {}

    private static final Logger LOG = Logger.getLogger(ClusterConnection.class);
    private static final Duration RETRY_SOON = Duration.ofSeconds(2);
    // How long a late kind that has listed may wait for its handler to have published the list before its resync.
    private static final Duration LATE_HANDLER_WAIT = Duration.ofSeconds(10);
    // How long probe timeouts are forgiven while this replica is too busy to hear the answers.
    private static final Duration BUSY_SILENCE_FORGIVEN = Duration.ofSeconds(30);
    // When the cluster's watches last delivered an object (clock millis): a cluster streaming objects is reachable.
    private volatile long lastHeardAt;
    private static final java.util.concurrent.ExecutorService PROBES = Workers.pool("probe-");

    private final ClusterSpec spec;
    private final Supplier<KubernetesClient> connector;
    private final PinnedEndpoint endpoint;
    private final String registrationVersion;
    private final List<WatchedKind> kinds;
    private final Timing timing;
    private final ResourceFeed publisher;
    private final ObservedResourceMapper mapper;
    // Records a status; false when it could not (the database away): the supervisor reports again until it can.
    private final java.util.function.Predicate<ObservedStatus> statusSink;
    private final java.util.concurrent.atomic.AtomicBoolean statusUnrecorded =
            new java.util.concurrent.atomic.AtomicBoolean();
    private final Consumer<String> connectedListener;
    private final ClusterConnections.InformerListener informerListener;
    // Each watched kind by its apiVersion/kind, for the drift watch's lookups of an informer by kind.
    private final Map<String, WatchedKind> kindsByName;
    // Whether this replica's client event loops ran late within a window: then a probe's silence is ours.
    private final Predicate<Duration> replicaBusyWithin;
    private final Clock clock;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicBoolean nodesChanged = new AtomicBoolean();
    private final Object wakeUp = new Object();

    private KubernetesClient client;
    // Written by the supervisor only; read by the bundle engine's drift watch, which shares these informers.
    private final Map<WatchedKind, SharedIndexInformer<HasMetadata>> informers =
            new java.util.concurrent.ConcurrentHashMap<>();
    // Kinds of the current connection that could not be listed, with why; guarded by itself.
    private final Map<WatchedKind, Unavailable> unavailableKinds = new java.util.LinkedHashMap<>();
    // The publishing handler of each informer of the current connection; supervisor only.
    private final Map<WatchedKind, Publishing> handlers = new java.util.HashMap<>();
    // Per late kind whose informer has listed, since when (clock millis); supervisor only.
    private final Map<WatchedKind, Long> lateListedSince = new java.util.HashMap<>();
    private SharedIndexInformer<HasMetadata> nodeInformer;
    private volatile boolean connected;
    private volatile long epoch;
    // While a relist is being published: the objects (kind/namespace/name) published for it so far, by the informers'
    // handlers or by connect() itself, so that each is published once before the resync marker.
    private final java.util.Set<String> relisted = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean relisting;
    // Handlers publish a relisted object under the read lock; connect() takes the write lock to publish the rest and
    // the marker, so that no object a handler claimed is still on its way when the marker goes.
    private final java.util.concurrent.locks.ReadWriteLock relistLock =
            new java.util.concurrent.locks.ReentrantReadWriteLock();
    private long connectedAt;
    private String kubernetesVersion;
    private String lastProbeError;
    // When the current run of forgiven probe timeouts began (clock millis), 0 when none.
    private long busySilenceSince;
    // Per listed kind whose watch was found closed while the cluster answered probes, since when (clock millis);
    // supervisor only.
    private final Map<WatchedKind, Long> watchClosedSince = new java.util.HashMap<>();
    private boolean lastProbeTimedOut;
    // The unavailable kinds, with why, as the last status report gave them; supervisor only.
    private List<String> reportedUnavailable = List.of();
    private Thread supervisor;

    ClusterConnection(
            ClusterSpec spec,
            Supplier<KubernetesClient> connector,
            PinnedEndpoint endpoint,
            String registrationVersion,
            List<WatchedKind> kinds,
            Timing timing,
            ResourceFeed publisher,
            ObservedResourceMapper mapper,
            java.util.function.Predicate<ObservedStatus> statusSink,
            Consumer<String> connectedListener,
            ClusterConnections.InformerListener informerListener,
            Predicate<Duration> replicaBusyWithin,
            Clock clock) {
        this.spec = spec;
        this.replicaBusyWithin = replicaBusyWithin;
        this.mapper = mapper;
        this.connector = connector;
        this.endpoint = endpoint;
        this.registrationVersion = registrationVersion;
        this.kinds = List.copyOf(kinds);
        this.kindsByName = new java.util.HashMap<>();
        kinds.forEach(kind -> kindsByName.put(kind.apiVersion() + "/" + kind.kind(), kind));
        this.timing = timing;
        this.publisher = publisher;
        this.statusSink = statusSink;
        this.connectedListener = connectedListener;
        this.informerListener = informerListener;
        this.clock = clock;
    }

    String name() {
        return spec.name();
    }

    String registrationVersion() {
        return registrationVersion;
    }

    /** Whether the supervisor still runs: one that failed leaves a connection that must be started again. */
    boolean isRunning() {
        Thread running = supervisor;
        return running != null && running.isAlive();
    }

    boolean isConnected() {
        return connected;
    }

    /** The client of a connected cluster; writes go through it too, so there is one client per cluster. */
    KubernetesClient client() {
        return client;
    }

    /** The running informer of a kind ({@code apiVersion/kind}), or null when it is not watched. */
    SharedIndexInformer<HasMetadata> informerOf(String apiVersionKind) {
        WatchedKind kind = kindsByName.get(apiVersionKind);
        return kind == null ? null : informers.get(kind);
    }

    long epoch() {
        return epoch;
    }

    /**
     * What the connection says now of the object of a record key ({@code clusterId/apiGroup/kind/namespace/name}):
     * held, gone (its kind's informer synced without it, or the kind is not served or not watched any more), or
     * unknown (not connected, or the kind not listed yet).
     */
    Presence presence(String recordKey) {
        String[] parts = recordKey.split("/", 5);
        if (!connected || parts.length != 5) {
            return Presence.UNKNOWN;
        }
        for (Map.Entry<WatchedKind, SharedIndexInformer<HasMetadata>> entry : informers.entrySet()) {
            WatchedKind kind = entry.getKey();
            if (kind.group().equals(parts[1]) && kind.kind().equals(parts[2])) {
                synchronized (unavailableKinds) {
                    Unavailable unavailable = unavailableKinds.get(kind);
                    if (unavailable != null && unavailable.notServed()) {
                        return Presence.GONE;
                    }
                }
                SharedIndexInformer<HasMetadata> informer = entry.getValue();
                if (!informer.hasSynced()) {
                    return Presence.UNKNOWN;
                }
                // A record key's empty namespace segment is a cluster-scoped object, as in the informer's own keys.
                return informer.getStore().getByKey(Cache.namespaceKeyFunc(parts[3], parts[4])) != null
                        ? Presence.HELD
                        : Presence.GONE;
            }
        }
        return Presence.GONE; // a kind no longer watched: its objects are no longer observed
    }

    void start() {
        supervisor = Workers.start("cluster-" + spec.name(), this::supervise);
    }

    /** Stops watching; with {@code wait}, returns once the supervisor has ended. */
    void stop(boolean wait) {
        stopped.set(true);
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        if (wait && supervisor != null) {
            try {
                supervisor.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void supervise() {
        report(ClusterPhase.Connecting);
        client = connector.get();
        int failures = 0;
        // Probing is cheap (GET /version with a short timeout) and never backs off, so a returning cluster is seen
        // within one reconnect-probe interval however long it was away. What backs off is the expensive part, a full
        // relist: only for a cluster whose connections end soon after they were made (it flaps).
        RelistBackoff relistBackoff = RelistBackoff.none(timing.probeInterval(), timing.maxBackoff());
        long relistNotBefore = 0;
        try {
            while (!stopped.get()) {
                long started = clock.millis();
                boolean reachable = probe();
                if (reachable) {
                    failures = 0;
                    busySilenceSince = 0;
                    if (!connected) {
                        if (clock.millis() >= relistNotBefore) {
                            connect();
                        } else {
                            LOG.debugf(
                                    "cluster %s answers again; relisting in %d ms (it flaps)",
                                    spec.name(), relistNotBefore - clock.millis());
                        }
                    } else if (completeLateKinds()) {
                        report(null);
                    } else if (hasFailedKinds()
                            && clock.millis() - connectedAt
                                    > timing.degradedRetry().toMillis()) {
                        LOG.infof("cluster %s: retrying the kinds it could not list", spec.name());
                        disconnect();
                        connect();
                    } else if (watchesStalled()) {
                        disconnect();
                        connect();
                    } else if (nodesChanged.getAndSet(false)
                            || statusUnrecorded.get()
                            || !unavailableDescription().equals(reportedUnavailable)) {
                        report(null); // nodes changed, or a kind's list failed since: the conditions say so
                    }
                    Duration interval = connected ? timing.probeInterval() : timing.reconnectProbeInterval();
                    pause(interval.minusMillis(clock.millis() - started));
                    continue;
                }
                if (connected
                        && clock.millis() - lastHeardAt
                                < timing.probeInterval()
                                        .plus(timing.probeTimeout())
                                        .toMillis()) {
                    // Objects keep arriving through its watches, only the probe was slow (a busy API server, or this
                    // replica busy reading a fleet in): not an outage. Counted as one, it would relist every kind and
                    // add to the very load that slowed the probe. "Keep arriving": within one probe interval and
                    // timeout,
                    // so that a server that dies is still Unreachable within 15 s (5 + 3 s, then two counted probes).
                    // Objects are stamped as they are handled: a backlog of what a dead server had sent delays this.
                    LOG.debugf(
                            "cluster %s: probe failed (%s) but its watches deliver; not counted",
                            spec.name(), lastProbeError);
                    pause(timing.probeInterval().minusMillis(clock.millis() - started));
                    continue;
                }
                Duration probeWindow = timing.probeInterval().plus(timing.probeTimeout());
                if (lastProbeTimedOut && replicaBusyWithin.test(probeWindow)) {
                    if (busySilenceSince == 0) {
                        busySilenceSince = clock.millis();
                    }
                    if (clock.millis() - busySilenceSince < BUSY_SILENCE_FORGIVEN.toMillis()) {
                        // The answer may well have arrived and waited behind this replica's own backlog on an event
                        // loop that ran a second or more late: not the cluster's silence. Counted, it would relist
                        // every kind and add to that backlog, or, for a cluster not connected yet (a replica reading
                        // a fleet in after a start), call a healthy cluster Unreachable and put off its first list.
                        // Forgiven for a bounded time only, so that a cluster that really went silent while this
                        // replica was overloaded is still found out.
                        LOG.debugf(
                                "cluster %s: probe got no answer while this replica's event loops ran late; not"
                                        + " counted",
                                spec.name());
                        Duration interval = connected ? timing.probeInterval() : timing.reconnectProbeInterval();
                        pause(interval.minusMillis(clock.millis() - started));
                        continue;
                    }
                }
                failures++;
                if (failures < timing.failuresBeforeUnreachable()) {
                    pause(RETRY_SOON);
                    continue;
                }
                // The API server may have moved: its name is resolved and judged again before the next probe, and
                // only then; the pinned address is never swapped behind the allow-list's back.
                boolean refusedBefore = endpoint.refusal().isPresent();
                endpoint.repin();
                if (connected || failures == timing.failuresBeforeUnreachable()) {
                    LOG.warnf("cluster %s is unreachable: %s", spec.name(), lastProbeError);
                    if (connected) {
                        relistBackoff =
                                relistBackoff.afterConnectionLasted(Duration.ofMillis(clock.millis() - connectedAt));
                        relistNotBefore = clock.millis() + relistBackoff.delay().toMillis();
                    }
                    disconnect();
                    report(ClusterPhase.Unreachable);
                } else if (endpoint.refusal().isPresent() != refusedBefore || statusUnrecorded.get()) {
                    report(ClusterPhase.Unreachable);
                }
                pause(timing.reconnectProbeInterval().minusMillis(clock.millis() - started));
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "connection supervisor of cluster %s failed; the next reconcile restarts it", spec.name());
        } finally {
            disconnect();
            client.close();
        }
    }

    private boolean probe() {
        try {
            CompletableFuture<String> version = CompletableFuture.supplyAsync(
                    () -> client.getKubernetesVersion().getGitVersion(), PROBES);
            kubernetesVersion = version.get(timing.probeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            lastProbeError = null;
            lastProbeTimedOut = false;
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            lastProbeTimedOut = cause instanceof java.util.concurrent.TimeoutException
                    || e instanceof java.util.concurrent.TimeoutException;
            lastProbeError = lastProbeTimedOut
                    ? "no answer within " + timing.probeTimeout().toMillis() + " ms"
                    : String.valueOf(cause.getMessage());
            return false;
        }
    }

    /** Fresh informers behind a resync marker, so consumers can drop what vanished while we were away. */
    private void connect() {
        epoch = clock.millis();
        relisted.clear();
        relisting = true;
        publisher.resyncStarted(spec.name(), epoch);
        synchronized (unavailableKinds) {
            unavailableKinds.clear();
        }
        watchClosedSince.clear();
        lateListedSince.clear();
        List<CompletableFuture<Void>> synced = new ArrayList<>();
        handlers.clear();
        for (WatchedKind kind : kinds) {
            synced.add(startInformer(kind));
        }
        try {
            CompletableFuture.allOf(synced.toArray(CompletableFuture[]::new))
                    .get(timing.syncTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            relisting = false;
            return;
        } catch (Exception e) {
            informers.forEach((kind, informer) -> {
                if (!informer.hasSynced()) {
                    synchronized (unavailableKinds) {
                        unavailableKinds.putIfAbsent(
                                kind, new Unavailable("not listed within " + timing.syncTimeout(), false, true));
                    }
                }
            });
        }
        // Only a kind listed completely says which of its objects are gone; one that failed (forbidden, timed out)
        // or has not synced yet says nothing, so its objects stay as last published. A kind the API server answers
        // 404 for is not served any more (its CRD was deleted, and its objects with it): listed, and empty.
        List<GroupKind> notResynced = new ArrayList<>();
        informers.forEach((kind, informer) -> {
            Unavailable unavailable;
            synchronized (unavailableKinds) {
                unavailable = unavailableKinds.get(kind);
            }
            boolean gone = unavailable != null && unavailable.notServed();
            if ((unavailable != null && !gone) || (!gone && !informer.hasSynced())) {
                notResynced.add(new GroupKind(kind.group(), kind.kind()));
            }
        });
        // An informer has synced once its store holds the list; its handler hears of the listed objects later, on
        // fabric8's own thread. Whatever the handlers have not published yet is published here, before the marker:
        // a consumer takes an object the marker's relist did not carry for gone.
        int objects = publishListedThenMarker(informers.keySet(), notResynced);
        synchronized (unavailableKinds) {
            // Only a late kind needs to know, at its own resync, which of its objects its handler published already.
            handlers.forEach((kind, handler) -> handler.trackPublished(isLate(kind)));
        }
        connected = true;
        connectedAt = clock.millis();
        nodesChanged.set(false);
        if (notResynced.isEmpty()) {
            LOG.infof(
                    "cluster %s connected: %d objects of %d kinds, epoch %d",
                    spec.name(), objects, kinds.size(), epoch);
        } else {
            LOG.warnf(
                    "cluster %s connected: %d objects of %d kinds, epoch %d; not resynced, their objects kept as last"
                            + " published: %s",
                    spec.name(), objects, kinds.size() - notResynced.size(), epoch, unavailableDescription());
        }
        report(null);
        connectedListener.accept(spec.name());
    }

    /**
     * An informer of {@code kind}, with its publishing handler, started; the future completes once it has listed, or
     * with the kind marked unavailable when it could not.
     */
    private CompletableFuture<Void> startInformer(WatchedKind kind) {
        SharedIndexInformer<HasMetadata> informer = ClusterInformers.create(client, kind);
        Publishing handler = new Publishing(kind);
        handlers.put(kind, handler);
        informer.addEventHandler(handler);
        // Before it starts: a handler added to a running informer is first handed every object its store holds.
        try {
            informerListener.created(spec.name(), kind.apiVersion() + "/" + kind.kind(), informer);
        } catch (RuntimeException e) {
            // A listener's defect costs what it would have heard, not the connection.
            LOG.errorf(e, "cluster %s: a listener of the %s informer failed", spec.name(), kind.kind());
        }
        informers.put(kind, informer);
        if ("Node".equals(kind.kind()) && kind.group().isEmpty()) {
            nodeInformer = informer;
        }
        return informer.start().toCompletableFuture().exceptionally(error -> {
            synchronized (unavailableKinds) {
                if (informers.get(kind) != informer) {
                    return null; // an informer of an earlier connection, stopped: it speaks for nothing now
                }
                // A late list that failed is no longer late: retried with the others that failed.
                unavailableKinds.put(kind, new Unavailable(rootMessage(error), notServed(error), false));
            }
            return null;
        });
    }

    /**
     * Whether a listed kind's watch has stayed closed for longer than the tolerance while the cluster answers probes.
     * fabric8 reopens a lost watch by itself, with a back-off of at most 32 s between tries; a watch that never opens
     * again (its kind's RBAC revoked since the list, a proxy that drops long requests, a reflector that gave up) left
     * the kind's objects stale, its drift unseen and the cluster Synced. The cluster is then relisted with a new epoch,
     * so that what was deleted while the watch was closed is dropped too; a kind that can no longer be listed turns the
     * cluster Degraded. Timed per kind, from the first probe that found its watch closed.
     */
    private boolean watchesStalled() {
        long now = clock.millis();
        List<String> stalled = new ArrayList<>();
        informers.forEach((kind, informer) -> {
            boolean unavailable;
            synchronized (unavailableKinds) {
                unavailable = unavailableKinds.containsKey(kind);
            }
            if (unavailable || !informer.hasSynced() || informer.isWatching()) {
                watchClosedSince.remove(kind);
                return;
            }
            long since = watchClosedSince.computeIfAbsent(kind, k -> now);
            if (now - since >= timing.watchStallTolerance().toMillis()) {
                stalled.add(kind.kind() + " (" + (now - since) / 1000 + " s)");
            }
        });
        if (stalled.isEmpty()) {
            return false;
        }
        LOG.warnf(
                "cluster %s answers probes, but its watches of %s have been closed that long; relisting it",
                spec.name(), String.join(", ", stalled));
        return true;
    }

    /**
     * Publishes every object the synced informers of {@code listed} hold that their handlers have not published during
     * this relist, then the completed marker: a consumer takes an object the relist did not carry before its marker for
     * gone. Handlers publish a relisted object under the read lock, so none they claimed is still on its way.
     *
     * @return how many objects the listed kinds hold
     */
    private int publishListedThenMarker(java.util.Collection<WatchedKind> listed, List<GroupKind> notResynced) {
        int objects = 0;
        relistLock.writeLock().lock();
        try {
            for (WatchedKind kind : listed) {
                SharedIndexInformer<HasMetadata> informer = informers.get(kind);
                if (informer == null || !informer.hasSynced()) {
                    continue;
                }
                Publishing handler = handlers.get(kind);
                var store = informer.getStore();
                // By key first: an object its handler published already is not read from the store again (a read
                // parses it, see SerializedItemStore).
                for (String storeKey : store.listKeys()) {
                    objects++;
                    if (handler != null && relisted.add(handler.keyOf(storeKey))) {
                        HasMetadata object = store.getByKey(storeKey);
                        if (object != null) {
                            handler.publish(object);
                        }
                    }
                }
            }
            publisher.resyncCompleted(spec.name(), epoch, objects, notResynced);
            relisting = false;
            relisted.clear();
        } finally {
            relistLock.writeLock().unlock();
        }
        return objects;
    }

    /**
     * Resyncs, on their own, the kinds whose list outlasted the connect's sync timeout and has completed since: their
     * objects not published yet, then a completed marker of the same epoch that names only the kinds still not listed,
     * so that consumers drop the objects of these kinds that the list no longer carried. On a loaded replica a large
     * kind (Pods) can take longer to list than the timeout; relisting every kind for it only added to the load.
     *
     * @return whether a kind was completed
     */
    private boolean completeLateKinds() {
        List<WatchedKind> listed = new ArrayList<>();
        long now = clock.millis();
        synchronized (unavailableKinds) {
            for (WatchedKind kind : informers.keySet()) {
                SharedIndexInformer<HasMetadata> informer = informers.get(kind);
                if (!isLate(kind)) {
                    continue;
                }
                if (informer == null || !informer.hasSynced()) {
                    continue;
                }
                // The store holds the list before the handler has heard of all of it: completed from the store now,
                // the objects still on their way to the handler would go out twice. Waited for, but not forever (an
                // object the mapper cannot map is never published by the handler).
                long since = lateListedSince.computeIfAbsent(kind, k -> now);
                if (handlers.get(kind)
                                .published()
                                .containsAll(informer.getStore().listKeys().stream()
                                        .map(handlers.get(kind)::keyOf)
                                        .toList())
                        || now - since >= LATE_HANDLER_WAIT.toMillis()) {
                    listed.add(kind);
                }
            }
        }
        if (listed.isEmpty()) {
            return false;
        }
        listed.forEach(lateListedSince::remove);
        // The marker names only what is still not listed: for the kinds listed before, it says again what the first
        // marker of this epoch said (everything since carries this epoch), so the latest marker of the cluster, the
        // one a compacted topic keeps, holds the whole relist.
        List<GroupKind> stillUnlisted = new ArrayList<>();
        synchronized (unavailableKinds) {
            unavailableKinds.entrySet().stream()
                    .filter(e -> !listed.contains(e.getKey()) && !e.getValue().notServed())
                    .map(Map.Entry::getKey)
                    .forEach(kind -> stillUnlisted.add(new GroupKind(kind.group(), kind.kind())));
        }
        // As in connect(): from here, a handler's publication waits for the marker to be sent, and an object its
        // handler published since the kind started listing is not published again. The snapshot of what the handlers
        // published is taken under the write lock, so that no publication in progress is missed.
        int objects;
        relisting = true;
        relistLock.writeLock().lock();
        try {
            relisted.clear();
            listed.forEach(kind -> relisted.addAll(handlers.get(kind).published()));
            objects = publishListedThenMarker(listed, stillUnlisted);
        } finally {
            relistLock.writeLock().unlock();
        }
        synchronized (unavailableKinds) {
            for (WatchedKind kind : listed) {
                // A kind whose list failed meanwhile keeps its failure: it is no longer late.
                if (isLate(kind)) {
                    unavailableKinds.remove(kind);
                }
                handlers.get(kind).trackPublished(false);
            }
        }
        LOG.infof(
                "cluster %s: %s listed late (%d objects); resynced on their own, epoch %d",
                spec.name(), listed.stream().map(WatchedKind::kind).toList(), objects, epoch);
        return true;
    }

    /** Whether a kind could not be listed for a reason other than a list still going on. */
    private boolean hasFailedKinds() {
        synchronized (unavailableKinds) {
            return unavailableKinds.values().stream().anyMatch(u -> !u.late());
        }
    }

    /** Whether the kind's list had not completed by the sync timeout and is still going on. */
    private boolean isLate(WatchedKind kind) {
        synchronized (unavailableKinds) {
            Unavailable unavailable = unavailableKinds.get(kind);
            return unavailable != null && unavailable.late();
        }
    }

    /**
     * Why a kind of the current connection is not listed: {@code notServed} when the API server answered 404 (a deleted
     * CRD: listed, and empty); {@code late} when its list had not completed by the sync timeout and is still going on,
     * to be resynced on its own once listed (completeLateKinds) rather than by relisting every kind.
     */
    private record Unavailable(String reason, boolean notServed, boolean late) {}

    private void disconnect() {
        connected = false;
        informers.values().forEach(SharedIndexInformer::stop);
        informers.clear();
        nodeInformer = null;
    }

    private void report(ClusterPhase forced) {
        List<Node> nodes = nodeInformer == null
                ? List.of()
                : nodeInformer.getStore().list().stream()
                        .filter(Node.class::isInstance)
                        .map(Node.class::cast)
                        .toList();
        ClusterFacts facts = ClusterFacts.of(nodes, kubernetesVersion);
        List<String> unavailable = unavailableDescription();
        reportedUnavailable = unavailable;
        ClusterPhase phase = forced != null ? forced : phaseOf(facts, unavailable);
        List<ConditionState> conditions = new ArrayList<>();
        boolean reachable = phase != ClusterPhase.Unreachable;
        var refusal = reachable ? java.util.Optional.<String>empty() : endpoint.refusal();
        conditions.add(new ConditionState(
                "Reachable",
                phase == ClusterPhase.Connecting
                        ? ConditionStatus.Unknown
                        : reachable ? ConditionStatus.True : ConditionStatus.False,
                phase == ClusterPhase.Connecting
                        ? "Connecting"
                        : reachable ? "ProbeSucceeded" : refusal.isPresent() ? "EndpointNotAllowed" : "ProbeFailed",
                reachable ? null : refusal.orElse(lastProbeError)));
        if (connected) {
            conditions.add(
                    unavailable.isEmpty()
                            ? new ConditionState(
                                    "Synced", ConditionStatus.True, "InformersSynced", kinds.size() + " kinds watched")
                            : new ConditionState(
                                    "Synced",
                                    ConditionStatus.False,
                                    "KindsUnavailable",
                                    String.join("; ", unavailable)));
            conditions.add(
                    facts.readyNodeCount() == facts.nodeCount()
                            ? new ConditionState(
                                    "NodesReady",
                                    ConditionStatus.True,
                                    "AllNodesReady",
                                    facts.nodeCount() + " nodes Ready")
                            : new ConditionState(
                                    "NodesReady",
                                    ConditionStatus.False,
                                    "NodesNotReady",
                                    (facts.nodeCount() - facts.readyNodeCount()) + " of " + facts.nodeCount()
                                            + " nodes not Ready"));
        } else {
            conditions.add(new ConditionState(
                    "Synced", ConditionStatus.Unknown, reachable ? "Connecting" : "Disconnected", null));
        }
        conditions.add(new ConditionState(
                "Ready",
                phase == ClusterPhase.Ready ? ConditionStatus.True : ConditionStatus.False,
                phase.name(),
                null));
        boolean recorded = statusSink.test(new ObservedStatus(
                phase,
                conditions,
                kubernetesVersion,
                facts.nodeCount(),
                facts.allocatableCpuMillis(),
                facts.allocatableMemoryBytes(),
                facts.detectedCloud(),
                facts.detectedRegion(),
                connected ? facts.warnings(spec.cloud(), spec.region()) : List.of()));
        // Reported on changes only: one that could not be recorded is reported again at the next probe, or the
        // registry would show the cluster as it was before (Unreachable after a database restart) until it changes.
        statusUnrecorded.set(!recorded);
    }

    /** Each kind that could not be listed, with why, e.g. {@code ClusterRole (KubernetesClientException: ...)}. */
    private List<String> unavailableDescription() {
        synchronized (unavailableKinds) {
            return unavailableKinds.entrySet().stream()
                    .map(e -> e.getKey().kind() + " (" + e.getValue().reason() + ")")
                    .toList();
        }
    }

    private static ClusterPhase phaseOf(ClusterFacts facts, List<String> unavailable) {
        return unavailable.isEmpty() && facts.readyNodeCount() == facts.nodeCount()
                ? ClusterPhase.Ready
                : ClusterPhase.Degraded;
    }

    private void pause(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        synchronized (wakeUp) {
            if (stopped.get()) {
                return;
            }
            try {
                wakeUp.wait(duration.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped.set(true);
            }
        }
    }

    /** Whether the API server answered 404 for the kind's list: it serves no such resource. */
    static boolean notServed(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.fabric8.kubernetes.client.KubernetesClientException k && k.getCode() == 404) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null
                ? t.getClass().getSimpleName()
                : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /** Publishes every change an informer sees, stamped with the current resync epoch. */
    private final class Publishing implements ResourceEventHandler<HasMetadata> {

        private final WatchedKind kind;
        // While its kind is being listed (the connect, or a late list), the keys this handler published, so that the
        // kind's own resync does not publish them again; null when not tracking.
        private volatile java.util.Set<String> published = ConcurrentHashMap.newKeySet();

        Publishing(WatchedKind kind) {
            this.kind = kind;
        }

        /** Starts (or stops, forgetting them) remembering which objects this handler publishes. */
        void trackPublished(boolean track) {
            published = track ? (published == null ? ConcurrentHashMap.newKeySet() : published) : null;
        }

        /** The keys published since tracking began. */
        java.util.Set<String> published() {
            java.util.Set<String> keys = published;
            return keys == null ? java.util.Set.of() : keys;
        }

        @Override
        public void onAdd(HasMetadata object) {
            lastHeardAt = clock.millis();
            // During a relist, a listed object connect() has published already is not published twice.
            duringRelist(() -> {
                if (!relisting || relisted.add(keyOf(object))) {
                    publish(object);
                }
            });
        }

        /**
         * Runs a change's publication under the relist's read lock while a relist is being published, so that it
         * comes after what connect() publishes from its copy of the store (a deletion must not be followed by the
         * object from an older copy).
         */
        private void duringRelist(Runnable publication) {
            if (!relisting) {
                publication.run();
                return;
            }
            relistLock.readLock().lock();
            try {
                publication.run();
            } finally {
                relistLock.readLock().unlock();
            }
        }

        String keyOf(HasMetadata object) {
            return keyOf(Cache.metaNamespaceKeyFunc(object));
        }

        /** The key of the object an informer's store holds under {@code storeKey} (fabric8's key of it). */
        String keyOf(String storeKey) {
            return kind.group() + "/" + kind.kind() + "/" + storeKey;
        }

        @Override
        public void onUpdate(HasMetadata previous, HasMetadata object) {
            if (previous.getMetadata().getResourceVersion() != null
                    && previous.getMetadata()
                            .getResourceVersion()
                            .equals(object.getMetadata().getResourceVersion())) {
                return;
            }
            lastHeardAt = clock.millis();
            duringRelist(() -> publish(object));
        }

        @Override
        public void onDelete(HasMetadata object, boolean finalStateUnknown) {
            lastHeardAt = clock.millis();
            if (stopped.get()) {
                return;
            }
            duringRelist(() -> {
                // One created again under the same name during the relist is a new object: published when added.
                relisted.remove(keyOf(object));
                java.util.Set<String> keys = published;
                if (keys != null) {
                    keys.remove(keyOf(object));
                }
                try {
                    publisher.deleted(
                            spec.name(),
                            mapper.map(spec.name(), withKind(object), epoch, clock.instant())
                                    .key());
                } catch (RuntimeException e) {
                    LOG.warnf(
                            "could not map deleted %s %s: %s",
                            kind.kind(), object.getMetadata().getName(), e.getMessage());
                }
            });
            if (object instanceof Node) {
                nodesChanged.set(true);
            }
        }

        private void publish(HasMetadata object) {
            if (stopped.get()) {
                return;
            }
            try {
                publisher.observed(mapper.map(spec.name(), withKind(object), epoch, clock.instant()));
                java.util.Set<String> keys = published;
                if (keys != null) {
                    keys.add(keyOf(object));
                }
            } catch (RuntimeException e) {
                LOG.warnf(
                        "could not map %s %s on cluster %s: %s",
                        kind.kind(), object.getMetadata().getName(), spec.name(), e.getMessage());
            }
            if (object instanceof Node) {
                nodesChanged.set(true);
            }
        }

        /** Lists of typed objects come without apiVersion and kind; the mapper needs them. */
        private HasMetadata withKind(HasMetadata object) {
            if (object.getKind() == null) {
                object.setApiVersion(kind.apiVersion());
                if (object instanceof io.fabric8.kubernetes.api.model.GenericKubernetesResource generic) {
                    generic.setKind(kind.kind());
                }
            }
            return object;
        }
    }
}
