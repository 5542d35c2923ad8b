package io.meridian.inventory.bundle;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meridian.contracts.ObjectRef;
import io.meridian.contracts.desired.DesiredBundle;
import io.meridian.contracts.desired.DriftPolicy;
import io.meridian.contracts.sync.DriftEvent;
import io.meridian.contracts.sync.ObjectOutcome;
import io.meridian.contracts.sync.SyncReport;
import io.meridian.inventory.connect.ClusterConnections;
import io.meridian.inventory.connect.ClusterOwnership;
import io.meridian.inventory.persistence.Await;
import io.meridian.inventory.persistence.BundleStore;
import io.meridian.inventory.persistence.GroupCommit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Converges every cluster this replica owns to the bundles declared for it. Level-triggered: the
 * latest bundle per {@code owner/cluster} is kept in memory (every replica reads the whole compacted
 * topic), and a reconcile re-reads it and the live objects, so repeated or missed triggers converge to
 * the same result. One writer per cluster, so a slow cluster holds up nobody else.
 */
@ApplicationScoped
public class BundleEngine {

    /** The latest declaration for a key; {@code bundle} is null after a tombstone. */
    public record Declared(String owner, String cluster, long generation, DesiredBundle bundle) {
        boolean isTombstone() {
            return bundle == null;
        }
    }

    /** What the engine knows of one key right now, for the sync API. */
    public record Pending(String owner, long generationWanted, String state) {}

    private static final Logger LOG = Logger.getLogger(BundleEngine.class);
    private static final Duration MAX_RETRY = Duration.ofSeconds(60);
    private static final int WRITES_PER_CLUSTER = 4;
    private static final Duration RESYNC_TICK = Duration.ofSeconds(5);

    private final Map<String, Declared> latest = new ConcurrentHashMap<>();
    private final Map<String, Map<String, DesiredObject>> desiredObjects = new ConcurrentHashMap<>();
    private final Map<String, Long> reported = new ConcurrentHashMap<>();
    private final Map<String, Long> appliedGeneration = new ConcurrentHashMap<>();
    // What the database says each key manages, kept after every recorded application so a reconcile needs no
    // read; dropped for a cluster whenever it (re)connects, since another replica may have written meanwhile.
    private final Map<String, List<BundleStore.AppliedObject>> appliedObjects = new ConcurrentHashMap<>();
    // Clusters whose managed objects were all read into appliedObjects when they connected: a key missing there
    // has nothing applied, without asking the database.
    private final java.util.Set<String> appliedLoaded = ConcurrentHashMap.newKeySet();
    private final GroupCommit<BundleStore.Application> applications;
    // The resourceVersion of our last write of each object (cluster|objectKey): the watch then recognises that
    // write coming back without comparing the whole object. Cleared for a cluster when it (re)connects.
    private final Map<String, String> ownWrites = new ConcurrentHashMap<>();
    private final Map<String, Duration> retryDelay = new ConcurrentHashMap<>();
    private final Map<String, String> states = new ConcurrentHashMap<>();
    private final Map<String, ClusterWriter> writers = new ConcurrentHashMap<>();
    private final java.util.Set<String> scheduled = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.ExecutorService writePool =
            io.meridian.inventory.connect.Workers.pool("bundle-write-");
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("bundle-retries").daemon().factory());
    private final ClusterConnections connections;
    private final ClusterOwnership ownership;
    private final BundleStore store;
    private final DriftWatch driftWatch;
    private final Clock clock;
    private final Duration resyncInterval;
    private long resyncTicks;
    private final Counter stale;
    private final Timer applyTime;

    BundleEngine(
            ClusterConnections connections,
            ClusterOwnership ownership,
            BundleStore store,
            Clock clock,
            MeterRegistry registry,
            @org.eclipse.microprofile.config.inject.ConfigProperty(
                            name = "meridian.inventory.bundles.resync-interval",
                            defaultValue = "60s")
                    Duration resyncInterval) {
        this.connections = connections;
        this.resyncInterval = resyncInterval;
        this.ownership = ownership;
        this.store = store;
        this.clock = clock;
        this.driftWatch = new DriftWatch(this::onDrift, connections::observing);
        this.applications = new GroupCommit<>(
                "bundle-status", 500, a -> a.report().key(), batch -> Await.on(() -> store.recordApplications(batch)));
        this.stale = Counter.builder("meridian.inventory.bundles.stale")
                .description("Bundles ignored because a newer generation was already declared")
                .register(registry);
        this.applyTime = Timer.builder("meridian.inventory.bundles.apply")
                .description("Time to apply one bundle to one cluster")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        registry.gaugeMapSize("meridian.inventory.bundles.declared", List.of(), latest);
    }

    void start(@Observes StartupEvent event) {
        connections.onConnected(cluster -> {
            appliedLoaded.remove(cluster);
            appliedObjects.keySet().removeIf(key -> key.endsWith("/" + cluster));
            ownWrites.keySet().removeIf(key -> key.startsWith(cluster + "|"));
            KubernetesClient client = connections.client(cluster).orElse(null);
            if (client != null) {
                // Watching the declared kinds before the first apply lets that apply read from the cache.
                driftWatch.watch(cluster, client, declaredKindsOf(cluster));
            }
            // Queued before the cluster's reconciles, on its writer, so none of them reads a half-loaded set.
            writers.computeIfAbsent(cluster, ClusterWriter::new).enqueue(() -> loadApplied(cluster));
            scheduleCluster(cluster);
        });
    }

    /** What another replica, or this one before a restart, applied on a cluster (another may have written meanwhile). */
    private void loadApplied(String cluster) {
        try {
            Map<String, List<BundleStore.AppliedObject>> byOwner = Await.on(() -> store.appliedOn(cluster));
            appliedObjects.keySet().removeIf(key -> key.endsWith("/" + cluster));
            byOwner.forEach((owner, objects) -> appliedObjects.put(keyOf(owner, cluster), List.copyOf(objects)));
            appliedLoaded.add(cluster);
        } catch (RuntimeException e) {
            LOG.warnf(
                    "cluster %s: cannot read what it manages (%s); reading per owner instead", cluster, e.getMessage());
        }
    }

    /** A declaration read from {@code fleet.desired.v1}; stale generations are ignored. */
    public void declare(String key, DesiredBundle bundle) {
        String[] parts = key.split("/", 2);
        if (parts.length != 2) {
            throw new IllegalArgumentException("desired bundle key '" + key + "' is not owner/clusterId");
        }
        Declared current = latest.get(key);
        if (bundle == null) {
            long generation = current == null ? 0 : current.generation();
            latest.put(key, new Declared(parts[0], parts[1], generation, null));
        } else {
            if (!bundle.owner().equals(parts[0]) || !bundle.clusterId().equals(parts[1])) {
                throw new IllegalArgumentException("bundle of " + bundle.owner() + "/" + bundle.clusterId()
                        + " published under key '" + key + "'");
            }
            if (current != null && bundle.generation() <= current.generation() && !current.isTombstone()) {
                if (bundle.generation() < current.generation()) {
                    stale.increment();
                    LOG.infof(
                            "ignoring generation %d of %s: generation %d is already declared",
                            bundle.generation(), key, current.generation());
                }
                return;
            }
            if (current != null && current.isTombstone() && bundle.generation() <= current.generation()) {
                stale.increment();
                return;
            }
            latest.put(key, new Declared(parts[0], parts[1], bundle.generation(), bundle));
        }
        schedule(key);
    }

    /** Bundles declared for a cluster and what is happening to them, for the sync API. */
    public List<Pending> pending(String cluster) {
        List<Pending> result = new ArrayList<>();
        latest.values().stream()
                .filter(d -> d.cluster().equals(cluster))
                .forEach(d -> result.add(new Pending(
                        d.owner(), d.generation(), states.getOrDefault(keyOf(d.owner(), d.cluster()), "Declared"))));
        return result;
    }

    /**
     * Re-reconciles every key once per resync interval, as a safety net for anything a lost event missed. Spread
     * over the interval in slices of {@link #RESYNC_TICK} rather than all keys at once: a burst of every key on
     * every cluster would hold up the bundles that are really changing.
     */
    @Scheduled(every = "5s", delayed = "30s")
    void periodicResync() {
        int slices = (int) Math.max(1, resyncInterval.toMillis() / RESYNC_TICK.toMillis());
        int slice = (int) (resyncTicks++ % slices);
        latest.keySet().stream()
                .filter(key -> Math.floorMod(key.hashCode(), slices) == slice)
                .forEach(this::schedule);
    }

    void schedule(String key) {
        Declared declared = latest.get(key);
        if (declared != null && scheduled.add(key)) {
            // Coalesced: many triggers for one key before it runs cause one reconcile of the latest bundle.
            writers.computeIfAbsent(declared.cluster(), ClusterWriter::new).enqueue(() -> {
                scheduled.remove(key);
                reconcile(key);
            });
        }
    }

    private void scheduleCluster(String cluster) {
        latest.values().stream()
                .filter(d -> d.cluster().equals(cluster))
                .forEach(d -> schedule(keyOf(d.owner(), d.cluster())));
    }

    private void reconcile(String key) {
        Declared declared = latest.get(key);
        if (declared == null || !ownership.owns(declared.cluster())) {
            return;
        }
        String owner = declared.owner();
        String cluster = declared.cluster();
        Optional<KubernetesClient> client = connections.client(cluster);
        if (client.isEmpty()) {
            states.put(key, "WaitingForCluster");
            return; // applied when the cluster connects (onConnected)
        }
        long started = clock.millis();
        BundleApplier applier = writers.get(cluster).applier(client.get());
        try {
            List<BundleStore.AppliedObject> previous = appliedObjects.get(key);
            if (previous == null) {
                previous = appliedLoaded.contains(cluster) ? List.of() : Await.on(() -> store.applied(owner, cluster));
                appliedObjects.put(key, previous);
            }
            BundleApplier.Result result;
            DriftPolicy policy = DriftPolicy.REPAIR;
            if (declared.isTombstone()) {
                desiredObjects.remove(key);
                result = applier.deleteAll(owner, previous);
                if (result.applied().isEmpty()) {
                    appliedObjects.put(key, List.of());
                }
            } else {
                DesiredBundle bundle = declared.bundle();
                policy = bundle.driftPolicy() == null ? DriftPolicy.REPAIR : bundle.driftPolicy();
                List<DesiredObject> objects = new ArrayList<>();
                List<DesiredObject.Invalid> invalid = new ArrayList<>();
                for (Map<String, Object> manifest : bundle.objects()) {
                    switch (DesiredObject.of(owner, manifest)) {
                        case DesiredObject.Ok ok -> objects.add(ok.object());
                        case DesiredObject.Bad bad -> invalid.add(bad.invalid());
                    }
                }
                Map<String, DesiredObject> byKey = new LinkedHashMap<>();
                objects.forEach(o -> byKey.put(o.key(), o));
                // Known before writing, so the watch sees our own writes as wanted, not as drift.
                desiredObjects.put(key, byKey);
                driftWatch.watch(cluster, client.get(), kindsOf(cluster));
                result = applier.apply(owner, bundle.adopt(), objects, invalid, previous);
            }
            boolean clean = result.outcomes().stream()
                    .noneMatch(o -> o.outcome() == ObjectOutcome.Outcome.Failed
                            || o.outcome() == ObjectOutcome.Outcome.Conflict);
            long applied = clean ? declared.generation() : appliedGeneration.getOrDefault(key, 0L);
            appliedGeneration.put(key, applied);
            long duration = clock.millis() - started;
            applyTime.record(Duration.ofMillis(duration));
            boolean changed = result.outcomes().stream().anyMatch(o -> o.outcome() != ObjectOutcome.Outcome.Unchanged);
            if (changed || !Long.valueOf(declared.generation()).equals(reported.get(key))) {
                SyncReport report = new SyncReport(
                        owner, cluster, declared.generation(), applied, result.outcomes(), duration, clock.instant());
                String policyName = policy.name().toLowerCase(java.util.Locale.ROOT);
                applications.commit(new BundleStore.Application(report, policyName, result.applied()));
                appliedObjects.put(key, List.copyOf(result.applied()));
                reported.put(key, declared.generation());
                LOG.infof(
                        "cluster %s, owner %s: generation %d applied in %d ms (%s)",
                        cluster, owner, declared.generation(), duration, summary(result.outcomes()));
            }
            states.put(key, clean ? "Applied" : "PartiallyApplied");
            retryDelay.remove(key);
        } catch (BundleApplier.ClusterUnavailable | IllegalStateException e) {
            Duration delay =
                    retryDelay.merge(key, Duration.ofSeconds(1), (old, one) -> min(old.multipliedBy(2), MAX_RETRY));
            states.put(key, "Retrying");
            LOG.warnf(
                    "cluster %s, owner %s: generation %d not applied (%s); retrying in %d s",
                    cluster, owner, declared.generation(), e.getMessage(), delay.toSeconds());
            try {
                Await.on(() -> store.recordError(owner, cluster, declared.generation(), e.getMessage()));
            } catch (RuntimeException ignored) {
                // the status row is best effort; the retry is what matters
            }
            retries.schedule(() -> schedule(key), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Called by the drift watch for a managed object that changed or vanished. */
    private void onDrift(String cluster, HasMetadata live, boolean deleted) {
        String owner = DesiredObject.ownerOf(live.getMetadata().getLabels());
        if (owner == null) {
            return;
        }
        String key = keyOf(owner, cluster);
        Map<String, DesiredObject> wanted = desiredObjects.get(key);
        String objectKey = DesiredObject.key(
                live.getApiVersion(),
                live.getKind(),
                live.getMetadata().getNamespace(),
                live.getMetadata().getName());
        DesiredObject desired = wanted == null ? null : wanted.get(objectKey);
        if (desired == null) {
            return; // pruned or never ours to keep
        }
        ClusterWriter writer = writers.get(cluster);
        if (writer == null) {
            return;
        }
        String version = live.getMetadata().getResourceVersion();
        if (!deleted && version != null && version.equals(ownWrites.get(cluster + "|" + objectKey))) {
            return; // our own write coming back through the watch
        }
        if (!deleted && owner.equals(DesiredObject.ownerOf(live.getMetadata().getLabels()))) {
            Optional<KubernetesClient> client = connections.client(cluster);
            if (client.isPresent() && desired.isSatisfiedBy(asMap(client.get(), live))) {
                return; // our own write coming back through the watch: nothing drifted
            }
        }
        writer.enqueue(() -> repair(cluster, owner, desired, deleted, changedBy(live, owner)));
    }

    private void repair(String cluster, String owner, DesiredObject desired, boolean deleted, String changedBy) {
        String key = keyOf(owner, cluster);
        Declared declared = latest.get(key);
        Optional<KubernetesClient> client = connections.client(cluster);
        if (declared == null || declared.isTombstone() || client.isEmpty() || !ownership.owns(cluster)) {
            return;
        }
        BundleApplier applier = writers.get(cluster).applier(client.get());
        if (!deleted && applier.isSatisfied(owner, desired)) {
            return; // already back as wanted (our own write, or repaired meanwhile)
        }
        ObjectRef ref = desired.ref();
        DriftEvent.Change change = deleted ? DriftEvent.Change.Deleted : DriftEvent.Change.Modified;
        Await.on(() ->
                store.recordDrift(new DriftEvent(owner, cluster, ref, change, changedBy, clock.instant(), false)));
        if (declared.bundle().driftPolicy() == DriftPolicy.REPORT) {
            LOG.infof(
                    "cluster %s: %s %s %s drifted; driftPolicy is report, leaving it",
                    cluster, change, ref.kind(), ref.name());
            return;
        }
        String appliedHash = appliedObjects.getOrDefault(key, List.of()).stream()
                .filter(a -> a.key().equals(desired.key()))
                .map(BundleStore.AppliedObject::contentHash)
                .findFirst()
                .orElse(null);
        ObjectOutcome outcome = applier.applyOne(owner, declared.bundle().adopt(), desired, appliedHash);
        if (outcome.outcome() == ObjectOutcome.Outcome.Conflict) {
            LOG.warnf("cluster %s: cannot repair %s %s: %s", cluster, ref.kind(), ref.name(), outcome.reason());
            return;
        }
        if (outcome.outcome() == ObjectOutcome.Outcome.Failed) {
            LOG.warnf("cluster %s: could not repair %s %s: %s", cluster, ref.kind(), ref.name(), outcome.reason());
            retries.schedule(() -> schedule(key), 1, TimeUnit.SECONDS);
            return;
        }
        Await.on(
                () -> store.recordDrift(new DriftEvent(owner, cluster, ref, change, changedBy, clock.instant(), true)));
        LOG.infof("cluster %s: repaired %s %s (%s)", cluster, ref.kind(), ref.name(), change);
    }

    private List<String> kindsOf(String cluster) {
        List<DesiredObject> objects = new ArrayList<>();
        desiredObjects.forEach((key, objectsOfKey) -> {
            if (key.endsWith("/" + cluster)) {
                objects.addAll(objectsOfKey.values());
            }
        });
        return DesiredObject.apiVersionKinds(objects);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(KubernetesClient client, HasMetadata live) {
        return client.getKubernetesSerialization().convertValue(live, Map.class);
    }

    /** Kinds of the bundles declared for a cluster, applied or not yet. */
    private List<String> declaredKindsOf(String cluster) {
        java.util.Set<String> kinds = new java.util.LinkedHashSet<>(kindsOf(cluster));
        latest.values().stream()
                .filter(d -> d.cluster().equals(cluster) && !d.isTombstone())
                .flatMap(d -> d.bundle().objects().stream())
                .forEach(manifest -> {
                    if (manifest.get("apiVersion") instanceof String apiVersion
                            && manifest.get("kind") instanceof String kind) {
                        kinds.add(apiVersion + "/" + kind);
                    }
                });
        return List.copyOf(kinds);
    }

    /** The manager that wrote last, other than us: who most likely changed the object. */
    private static String changedBy(HasMetadata live, String owner) {
        var managed = live.getMetadata().getManagedFields();
        if (managed == null) {
            return null;
        }
        String ours = FieldManagers.of(owner);
        return managed.stream()
                .filter(e -> e.getManager() != null && !e.getManager().equals(ours))
                .max(java.util.Comparator.comparing(e -> e.getTime() == null ? "" : e.getTime()))
                .map(io.fabric8.kubernetes.api.model.ManagedFieldsEntry::getManager)
                .orElse(null);
    }

    private static String summary(List<ObjectOutcome> outcomes) {
        Map<ObjectOutcome.Outcome, Integer> counts = new java.util.EnumMap<>(ObjectOutcome.Outcome.class);
        outcomes.forEach(o -> counts.merge(o.outcome(), 1, Integer::sum));
        return counts.toString();
    }

    private static String keyOf(String owner, String cluster) {
        return owner + "/" + cluster;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    void stop(@Observes ShutdownEvent event) {
        retries.shutdownNow();
        writePool.shutdownNow();
        applications.close();
        writers.values().forEach(ClusterWriter::stop);
        driftWatch.stopAll();
    }

    /** One cluster's queue of work, run one item at a time; coalesces repeated bundle triggers. */
    private final class ClusterWriter {
        private final String cluster;
        private final java.util.concurrent.ExecutorService executor;
        private KubernetesClient client;
        private BundleApplier applier;

        ClusterWriter(String cluster) {
            this.cluster = cluster;
            this.executor = Executors.newSingleThreadExecutor(
                    io.meridian.inventory.connect.Workers.named("bundle-writer-" + cluster + "-"));
        }

        void enqueue(Runnable work) {
            try {
                executor.submit(() -> {
                    try {
                        work.run();
                    } catch (RuntimeException e) {
                        LOG.errorf(e, "bundle work for cluster %s failed", cluster);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // shutting down
            }
        }

        synchronized BundleApplier applier(KubernetesClient current) {
            if (current != client) {
                client = current;
                applier = new BundleApplier(
                        current,
                        WRITES_PER_CLUSTER,
                        writePool,
                        object -> driftWatch.cached(cluster, object),
                        (object, stored) -> {
                            if (stored != null && stored.getMetadata().getResourceVersion() != null) {
                                ownWrites.put(
                                        cluster + "|" + object.key(),
                                        stored.getMetadata().getResourceVersion());
                            }
                        });
            }
            return applier;
        }

        void stop() {
            executor.shutdownNow();
        }
    }
}
