package io.meridian.inventory.bundle;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meridian.contracts.ObjectRef;
import io.meridian.contracts.desired.DesiredBundle;
import io.meridian.contracts.sync.DriftEvent;
import io.meridian.contracts.sync.ObjectOutcome;
import io.meridian.eventing.Await;
import io.meridian.inventory.config.BundlesConfig;
import io.meridian.inventory.connect.ClusterConnections;
import io.meridian.inventory.connect.ClusterOwnership;
import io.meridian.inventory.connect.Workers;
import io.meridian.inventory.persistence.BundleStore;
import io.meridian.inventory.persistence.BundleStore.AppliedObject;
import io.meridian.inventory.persistence.GroupCommit;
import io.meridian.inventory.persistence.PartitionClaims;
import io.meridian.inventory.persistence.PartitionClaims.Claim;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Converges every cluster this replica owns to the bundles declared for it. Level-triggered: the latest bundle per
 * {@code owner/cluster} is kept in memory (every replica reads the whole compacted topic), and a reconcile re-reads it
 * and the live objects, so repeated or missed triggers converge to the same result. One writer per cluster, so a slow
 * cluster holds up nobody else. What to do is decided by {@link BundlePlanner} from the key's {@link BundleState}; this
 * class schedules the work and carries out each {@link BundleStep}.
 */
@ApplicationScoped
public class BundleEngine {

    /** What the engine knows of one key right now, for the sync API. */
    public record Pending(String owner, long generationWanted, BundlePhase state) {}

    private static final Logger LOG = Logger.getLogger(BundleEngine.class);
    private static final int WRITES_PER_CLUSTER = 4;
    private static final Duration RESYNC_TICK = Duration.ofSeconds(5);
    // The first wait before a failed repair is tried again (doubling up to a minute while it keeps failing), and before
    // a whole run follows a repair the cluster refused.
    private static final Duration REPAIR_RETRY = Duration.ofSeconds(1);

    // One record per owner/cluster key holding all the engine knows of it. Replaced whole, lock-free (compare and
    // set, or ConcurrentHashMap's per-key compute), never mutated in place.
    private final Map<String, BundleState> bundles = new ConcurrentHashMap<>();
    // One per cluster: its queue of work and what the engine knows of the cluster as a whole.
    private final Map<String, ClusterWriter> writers = new ConcurrentHashMap<>();
    private final GroupCommit<BundleStore.Application> applications;
    private final GroupCommit<BundleStore.Intent> intents;
    private final ExecutorService writePool = Workers.pool("bundle-write-");
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
    private final Counter fenced;
    private final Timer applyTime;

    BundleEngine(
            ClusterConnections connections,
            ClusterOwnership ownership,
            BundleStore store,
            Clock clock,
            MeterRegistry registry,
            BundlesConfig config) {
        this.connections = connections;
        this.resyncInterval = config.resyncInterval();
        this.ownership = ownership;
        this.store = store;
        this.clock = clock;
        this.driftWatch = new DriftWatch(this::onDrift, connections::observing);
        connections.onInformerCreated(driftWatch::informerCreated);
        this.applications = new GroupCommit<>(
                "bundle-status", 500, a -> a.report().key(), batch -> Await.on(() -> store.recordApplications(batch)));
        this.intents = new GroupCommit<>(
                "bundle-intents", 500, BundleStore.Intent::key, batch -> Await.on(() -> store.recordIntents(batch)));
        this.fenced = Counter.builder("meridian.inventory.bundles.fenced")
                .description("Runs and repairs refused because another replica claimed the cluster's partition")
                .register(registry);
        this.stale = Counter.builder("meridian.inventory.bundles.stale")
                .description("Bundles ignored because a newer generation was already declared")
                .register(registry);
        this.applyTime = Timer.builder("meridian.inventory.bundles.apply")
                .description("Time to apply one bundle to one cluster")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        registry.gaugeMapSize("meridian.inventory.bundles.declared", List.of(), bundles);
    }

    void start(@Observes StartupEvent event) {
        // A claim made after the assignment (the database was away) lets the bundles of clusters already watched run:
        // every key of the partitions claimed now, since a run or a drift repair skipped without the claim may have
        // left any of them behind (the connection stayed up, so no reconnect runs them).
        ownership.onClaimed(partitions -> bundles.forEach((key, state) -> {
            if (state.phase() == BundlePhase.WaitingForCluster
                    || partitions.contains(ownership.partitionOf(state.cluster()))) {
                schedule(key);
            }
        }));
        connections.onConnected(cluster -> {
            // Another replica may have written to the cluster meanwhile: what we knew of it is read again.
            ClusterWriter known = writers.get(cluster);
            if (known != null) {
                known.reconnected();
            }
            forgetApplied(cluster);
            KubernetesClient client = connections.client(cluster).orElse(null);
            if (client != null) {
                // Watching the declared kinds before the first apply lets that apply read from the cache.
                driftWatch.watch(cluster, client, declaredKindsOf(cluster));
                // Judged before the runs below are queued, so that a drift reported (not repaired) is left alone by
                // them.
                driftWatch.changedWhileAway(cluster, wantedOn(cluster));
            }
            // Queued before the cluster's reconciles, on its writer, so none of them reads a half-loaded set.
            ClusterWriter writer = writers.computeIfAbsent(cluster, ClusterWriter::new);
            writer.enqueue(() -> loadApplied(cluster, writer));
            scheduleCluster(cluster);
        });
    }

    /** The objects the bundles of a cluster want there, as their last runs knew them. */
    private List<DesiredObject> wantedOn(String cluster) {
        List<DesiredObject> wanted = new ArrayList<>();
        bundles.forEach((key, state) -> {
            if (state.cluster().equals(cluster)) {
                wanted.addAll(state.desired().values());
            }
        });
        return wanted;
    }

    /** What another replica, or this one before a restart, applied on a cluster (another may have written meanwhile). */
    private void loadApplied(String cluster, ClusterWriter writer) {
        try {
            Map<String, List<AppliedObject>> byOwner = Await.on(() -> store.appliedOn(cluster));
            forgetApplied(cluster);
            writer.loaded(byOwner);
        } catch (RuntimeException e) {
            LOG.warnf(
                    "cluster %s: cannot read what it manages (%s); reading per owner instead", cluster, e.getMessage());
        }
    }

    /** A declaration read from an owner's desired topic; stale generations are ignored. */
    public void declare(String key, DesiredBundle bundle) {
        String[] parts = key.split("/", 2);
        if (parts.length != 2) {
            throw new IllegalArgumentException("desired bundle key '" + key + "' is not owner/clusterId");
        }
        if (bundle != null
                && (!bundle.owner().equals(parts[0]) || !bundle.clusterId().equals(parts[1]))) {
            throw new IllegalArgumentException(
                    "bundle of " + bundle.owner() + "/" + bundle.clusterId() + " published under key '" + key + "'");
        }
        while (true) {
            BundleState current = bundles.get(key);
            switch (BundlePlanner.declare(current, parts[0], parts[1], bundle)) {
                case BundleStep.AlreadyDeclared repeated -> {
                    return;
                }
                case BundleStep.Stale ignored -> {
                    stale.increment();
                    if (!ignored.afterTombstone()) {
                        LOG.infof(
                                "ignoring generation %d of %s: generation %d is already declared",
                                ignored.generation(), key, ignored.declared());
                    }
                    return;
                }
                case BundleStep.Accepted accepted -> {
                    boolean stored = current == null
                            ? bundles.putIfAbsent(key, accepted.state()) == null
                            : bundles.replace(key, current, accepted.state());
                    if (stored) {
                        if (accepted.enqueue()) {
                            enqueue(key, parts[1]);
                        }
                        return;
                    }
                    // A reconcile changed the key meanwhile: decide again on its current state.
                }
            }
        }
    }

    /** The generation last declared for {@code owner/clusterId} (a tombstone keeps its predecessor's), if any. */
    public OptionalLong declaredGeneration(String key) {
        BundleState state = bundles.get(key);
        return state == null ? OptionalLong.empty() : OptionalLong.of(state.generation());
    }

    /** Bundles declared for a cluster and what is happening to them, for the sync API. */
    public List<Pending> pending(String cluster) {
        List<Pending> result = new ArrayList<>();
        for (BundleState state : bundles.values()) {
            if (state.cluster().equals(cluster)) {
                result.add(new Pending(state.owner(), state.generation(), state.phase()));
            }
        }
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
        bundles.keySet().stream()
                .filter(key -> Math.floorMod(key.hashCode(), slices) == slice)
                .forEach(this::schedule);
    }

    /** Queues a reconcile of the key; coalesced: many triggers before it runs cause one reconcile of the latest. */
    void schedule(String key) {
        while (true) {
            BundleState current = bundles.get(key);
            if (current == null || current.queued()) {
                return;
            }
            if (bundles.replace(key, current, current.queue())) {
                enqueue(key, current.cluster());
                return;
            }
        }
    }

    private void enqueue(String key, String cluster) {
        writers.computeIfAbsent(cluster, ClusterWriter::new).enqueue(() -> reconcile(key));
    }

    private void scheduleCluster(String cluster) {
        bundles.forEach((key, state) -> {
            if (state.cluster().equals(cluster)) {
                schedule(key);
            }
        });
    }

    private void reconcile(String key) {
        BundleState state = bundles.computeIfPresent(key, (k, s) -> s.dequeue());
        if (state == null) {
            return;
        }
        String cluster = state.cluster();
        Optional<Claim> claim = ownership.claim(cluster);
        KubernetesClient client =
                claim.isPresent() ? connections.client(cluster).orElse(null) : null;
        switch (BundlePlanner.plan(state, claim.isPresent(), client != null)) {
            case BundleStep.Skip skip -> {}
            case BundleStep.WaitForCluster wait -> {
                // run again when the cluster connects (onConnected)
                bundles.computeIfPresent(key, (k, s) -> s.waitingForCluster());
            }
            case BundleStep.Run work -> run(key, state, client, work, claim.get());
        }
    }

    private void run(String key, BundleState state, KubernetesClient client, BundleStep.Run work, Claim claim) {
        String owner = state.owner();
        String cluster = state.cluster();
        long started = clock.millis();
        ClusterWriter writer = writers.get(cluster);
        BundleApplier applier = writer.applier(client);
        try {
            List<AppliedObject> previous = writeAhead(key, state, writer, work, claim);
            BundleApplier.Result result = switch (work) {
                case BundleStep.RemoveAll removeAll -> {
                    bundles.computeIfPresent(key, (k, s) -> s.withDesired(Map.of()));
                    yield applier.deleteAll(owner, previous, () -> checkClaim(state, claim));
                }
                case BundleStep.Apply apply -> {
                    // Known before writing, so the watch sees our own writes as wanted, not as drift.
                    bundles.computeIfPresent(key, (k, s) -> s.withDesired(apply.byKey()));
                    driftWatch.watch(cluster, client, kindsOf(cluster));
                    yield applier.apply(
                            owner,
                            apply.adopt(),
                            apply.leaveAlone(),
                            apply.objects(),
                            apply.invalid(),
                            previous,
                            () -> checkClaim(state, claim));
                }
            };
            long duration = clock.millis() - started;
            applyTime.record(Duration.ofMillis(duration));
            BundleStep.Settle settle =
                    BundlePlanner.settle(state, result.outcomes(), result.applied(), duration, clock.instant());
            switch (settle) {
                case BundleStep.Report report -> {
                    bundles.computeIfPresent(key, (k, s) -> s.ran(settle));
                    applications.commit(new BundleStore.Application(
                            report.report(), report.driftPolicy(), report.nowApplied(), claim));
                    LOG.infof(
                            "cluster %s, owner %s: generation %d applied in %d ms (%s)",
                            cluster, owner, state.generation(), duration, summary(result.outcomes()));
                }
                case BundleStep.Unchanged unchanged -> {}
            }
            bundles.computeIfPresent(key, (k, s) -> s.settled(settle));
        } catch (PartitionClaims.Fenced e) {
            bundles.computeIfPresent(key, (k, s) -> s.waitingForCluster());
            if (!fencedOut(cluster, claim, e)) {
                // Fenced with an older claim of this replica's, which holds a newer one by now: run again soon.
                retries.schedule(() -> schedule(key), REPAIR_RETRY.toMillis(), TimeUnit.MILLISECONDS);
            }
            // else run again when the cluster connects here again (onConnected), if it ever does
        } catch (RuntimeException e) {
            // The cluster, or the database (a run reads and records what it manages there): retried with back-off,
            // whatever the failure, so a database restart leaves no key waiting for the periodic resync.
            Instant now = clock.instant();
            BundleStep.RetryAt retry = BundlePlanner.retry(state, now);
            bundles.computeIfPresent(key, (k, s) -> s.retrying(retry.backOff()));
            // The cluster or the database being away is expected; anything else is a defect, logged with its stack
            // trace, and retried all the same.
            boolean expected = e instanceof BundleApplier.ClusterUnavailable
                    || e instanceof IllegalStateException
                    || e instanceof CompletionException;
            LOG.logf(
                    expected ? Logger.Level.WARN : Logger.Level.ERROR,
                    expected ? null : e,
                    "cluster %s, owner %s: generation %d not applied (%s); retrying in %d s",
                    cluster,
                    owner,
                    state.generation(),
                    expected ? e.getMessage() : e,
                    retry.backOff().toSeconds());
            try {
                Await.on(() -> store.recordError(owner, cluster, state.generation(), e.getMessage()));
            } catch (RuntimeException ignored) {
                // the status row is best effort; the retry is what matters
            }
            retries.schedule(
                    () -> schedule(key), Duration.between(now, retry.at()).toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Records, before any write, what this run may create beyond what the key already manages, fenced by the claim:
     * a kill between the writes and their recording then leaves nothing unprunable, and a replica that lost the
     * cluster's partition creates nothing. Answers the managed set including those objects, which the in-memory
     * state keeps too (a run that fails half-way must still prune what it created, should the bundle drop it). A run
     * that creates nothing records nothing here: it changes objects the owner already has (its application record is
     * fenced), and deletes only after {@link #checkClaim}.
     */
    private List<AppliedObject> writeAhead(
            String key, BundleState state, ClusterWriter writer, BundleStep.Run work, Claim claim) {
        List<AppliedObject> previous = previousOf(key, state, writer);
        List<AppliedObject> added = new ArrayList<>();
        if (work instanceof BundleStep.Apply apply) {
            Set<String> known = new java.util.HashSet<>();
            previous.forEach(p -> known.add(p.key()));
            for (DesiredObject object : apply.objects()) {
                if (!known.contains(object.key())) {
                    added.add(object.applied());
                }
            }
        }
        if (added.isEmpty()) {
            return previous;
        }
        intents.commit(new BundleStore.Intent(state.owner(), state.cluster(), added, claim));
        List<AppliedObject> managed = new ArrayList<>(previous);
        managed.addAll(added);
        List<AppliedObject> result = List.copyOf(managed);
        bundles.computeIfPresent(key, (k, s) -> s.withApplied(result));
        return result;
    }

    /**
     * Right before a run deletes objects on a cluster: still this replica's to write to? Throws Fenced if not. An intent
     * without objects, so that the checks of a revocation pruning on a hundred clusters share a few transactions.
     */
    private void checkClaim(BundleState state, Claim claim) {
        intents.commit(new BundleStore.Intent(state.owner(), state.cluster(), List.of(), claim));
    }

    /**
     * Another replica claimed the cluster's partition: this one stops writing there and lets the cluster go. Whether
     * that claim was the one this replica held (false: it already holds a newer one).
     */
    private boolean fencedOut(String cluster, Claim claim, PartitionClaims.Fenced e) {
        fenced.increment();
        if (ownership.fenced(List.of(claim))) {
            LOG.warnf(
                    "cluster %s: %s; this replica stops writing to the clusters of partition %d",
                    cluster, e.getMessage(), claim.partition());
            connections.reconcileAllAsync();
            return true;
        }
        return false;
    }

    /** What the key manages on the cluster: known here, read with the cluster when it connected, or read now. */
    private List<AppliedObject> previousOf(String key, BundleState state, ClusterWriter writer) {
        // Read again rather than taken from the snapshot the run started with: a reconnect may have dropped it since.
        BundleState current = bundles.get(key);
        if (current != null && current.applied() != null) {
            return current.applied();
        }
        List<AppliedObject> loaded = writer.takeLoaded(state.owner());
        List<AppliedObject> previous =
                loaded != null ? loaded : Await.on(() -> store.applied(state.owner(), state.cluster()));
        bundles.computeIfPresent(key, (k, s) -> s.withApplied(previous));
        return previous;
    }

    /** Forgets what every key of a cluster applied, so that their next runs read it again. */
    private void forgetApplied(String cluster) {
        bundles.forEach((key, state) -> {
            if (state.cluster().equals(cluster) && state.applied() != null) {
                bundles.computeIfPresent(key, (k, s) -> s.withApplied(null));
            }
        });
    }

    /** Called by the drift watch for a managed object that changed or vanished. */
    private void onDrift(String cluster, HasMetadata live, boolean deleted) {
        String owner = DesiredObject.ownerOf(live.getMetadata().getLabels());
        if (owner == null) {
            return;
        }
        BundleState state = bundles.get(keyOf(owner, cluster));
        String objectKey = DesiredObject.key(
                live.getApiVersion(),
                live.getKind(),
                live.getMetadata().getNamespace(),
                live.getMetadata().getName());
        DesiredObject desired = state == null ? null : state.desired().get(objectKey);
        if (desired == null) {
            return; // pruned or never ours to keep
        }
        ClusterWriter writer = writers.get(cluster);
        if (writer == null) {
            return;
        }
        if (!deleted) {
            String version = live.getMetadata().getResourceVersion();
            if (version != null && version.equals(writer.ownWrite(objectKey))) {
                return; // our own write coming back through the watch
            }
            // The owner came from the live object's labels, so it still carries them: compare its content.
            Optional<KubernetesClient> client = connections.client(cluster);
            if (client.isPresent() && desired.isSatisfiedBy(asMap(client.get(), live))) {
                // Our own write coming back through the watch, or put right by hand: nothing drifted (any more).
                bundles.computeIfPresent(keyOf(owner, cluster), (k, s) -> s.withoutDriftLeft(objectKey));
                return;
            }
        }
        writer.enqueue(() -> repair(cluster, owner, desired, deleted, changedBy(live, owner)));
    }

    private void repair(String cluster, String owner, DesiredObject seen, boolean deleted, String changedBy) {
        repair(cluster, owner, seen, deleted, changedBy, Duration.ZERO);
    }

    /**
     * Reports or repairs drift of an object the key wanted when the watch saw it change, judged on the key's state now
     * (a generation declared since may have dropped or changed the object). Drift is recorded before it is repaired, and
     * under driftPolicy report the object is left alone before it is recorded, so no run puts it back meanwhile. When
     * the record or the repair fails (the database away), the repair is tried again with back-off ({@code lastWait}:
     * the wait before this attempt), one retry per object at a time however many changes the watch reports meanwhile,
     * rather than left to the periodic resync.
     */
    private void repair(
            String cluster, String owner, DesiredObject seen, boolean deleted, String changedBy, Duration lastWait) {
        Optional<KubernetesClient> client = connections.client(cluster);
        Optional<Claim> claim = ownership.claim(cluster);
        DriftEvent.Change change = deleted ? DriftEvent.Change.Deleted : DriftEvent.Change.Modified;
        String key = keyOf(owner, cluster);
        BundleState judged = bundles.get(key);
        DesiredObject desired = judged == null ? null : judged.desired().get(seen.key());
        if (desired == null) {
            return;
        }
        try {
            switch (BundlePlanner.drift(judged, desired, claim.isPresent(), client.isPresent())) {
                case BundleStep.Skip skip -> {}
                case BundleStep.ReportDrift report -> {
                    BundleApplier applier = writers.get(cluster).applier(client.get());
                    if (applier.isSatisfied(owner, report.object())) {
                        return; // put right (or back) meanwhile
                    }
                    // Left by the generation that was applied and judged: one declared since and not run yet is
                    // applied whole by its run.
                    bundles.computeIfPresent(
                            key, (k, s) -> s.withDriftLeft(report.object().key(), judged.generation()));
                    record(cluster, owner, report.object(), change, changedBy, false, claim.get());
                    LOG.infof(
                            "cluster %s: %s %s %s drifted; driftPolicy is report, leaving it",
                            cluster,
                            change,
                            report.object().ref().kind(),
                            report.object().ref().name());
                }
                case BundleStep.RepairDrift repair -> {
                    BundleApplier applier = writers.get(cluster).applier(client.get());
                    // Recorded (and the claim checked) before the repair writes.
                    if (detected(applier, cluster, owner, repair.object(), change, changedBy, claim.get())) {
                        putBack(applier, cluster, owner, repair, change, changedBy, claim.get());
                    }
                }
            }
        } catch (PartitionClaims.Fenced e) {
            fencedOut(cluster, claim.get(), e);
        } catch (RuntimeException e) {
            ClusterWriter writer = writers.get(cluster);
            String retryKey = key + "/" + seen.key();
            if (writer == null || !writer.retryingRepair(retryKey, true)) {
                return; // a retry of this object's repair is already waiting
            }
            Duration wait = lastWait.isZero()
                    ? REPAIR_RETRY
                    : lastWait.multipliedBy(2).compareTo(BundlePlanner.MAX_RETRY) > 0
                            ? BundlePlanner.MAX_RETRY
                            : lastWait.multipliedBy(2);
            LOG.warnf(
                    "cluster %s: %s %s %s drifted and could not be handled (%s); trying again in %d s",
                    cluster, change, desired.ref().kind(), desired.ref().name(), e.getMessage(), wait.toSeconds());
            retries.schedule(
                    () -> enqueueOn(cluster, () -> {
                        writer.retryingRepair(retryKey, false);
                        repair(cluster, owner, seen, deleted, changedBy, wait);
                    }),
                    wait.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void enqueueOn(String cluster, Runnable work) {
        ClusterWriter writer = writers.get(cluster);
        if (writer != null) {
            writer.enqueue(work);
        }
    }

    /** Records the drift, unless the object is back as wanted already (our own write, or repaired meanwhile). */
    private boolean detected(
            BundleApplier applier,
            String cluster,
            String owner,
            DesiredObject desired,
            DriftEvent.Change change,
            String changedBy,
            Claim claim) {
        // Asked for a deletion too: a retry may come after the object was put back.
        if (applier.isSatisfied(owner, desired)) {
            return false;
        }
        record(cluster, owner, desired, change, changedBy, false, claim);
        return true;
    }

    private void record(
            String cluster,
            String owner,
            DesiredObject object,
            DriftEvent.Change change,
            String changedBy,
            boolean repaired,
            Claim claim) {
        ObjectRef ref = object.ref();
        Await.on(() -> store.recordDrift(
                new DriftEvent(owner, cluster, ref, change, changedBy, clock.instant(), repaired), claim));
    }

    private void putBack(
            BundleApplier applier,
            String cluster,
            String owner,
            BundleStep.RepairDrift repair,
            DriftEvent.Change change,
            String changedBy,
            Claim claim) {
        ObjectRef ref = repair.object().ref();
        ObjectOutcome outcome = applier.applyOne(owner, repair.adopt(), repair.object(), repair.appliedHash());
        switch (outcome.outcome()) {
            case Conflict ->
                LOG.warnf("cluster %s: cannot repair %s %s: %s", cluster, ref.kind(), ref.name(), outcome.reason());
            case Failed -> {
                LOG.warnf("cluster %s: could not repair %s %s: %s", cluster, ref.kind(), ref.name(), outcome.reason());
                String key = keyOf(owner, cluster);
                retries.schedule(() -> schedule(key), REPAIR_RETRY.toMillis(), TimeUnit.MILLISECONDS);
            }
            case Created, Patched, Unchanged, Deleted -> {
                record(cluster, owner, repair.object(), change, changedBy, true, claim);
                LOG.infof("cluster %s: repaired %s %s (%s)", cluster, ref.kind(), ref.name(), change);
            }
        }
    }

    private List<String> kindsOf(String cluster) {
        List<DesiredObject> objects = new ArrayList<>();
        for (BundleState state : bundles.values()) {
            if (state.cluster().equals(cluster)) {
                objects.addAll(state.desired().values());
            }
        }
        return DesiredObject.apiVersionKinds(objects);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(KubernetesClient client, HasMetadata live) {
        return client.getKubernetesSerialization().convertValue(live, Map.class);
    }

    /** Kinds of the bundles declared for a cluster, applied or not yet. */
    private List<String> declaredKindsOf(String cluster) {
        Set<String> kinds = new LinkedHashSet<>(kindsOf(cluster));
        for (BundleState state : bundles.values()) {
            if (state.cluster().equals(cluster) && !state.isTombstone()) {
                for (Map<String, Object> manifest : state.bundle().objects()) {
                    if (manifest.get("apiVersion") instanceof String apiVersion
                            && manifest.get("kind") instanceof String kind) {
                        kinds.add(apiVersion + "/" + kind);
                    }
                }
            }
        }
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
                .max(Comparator.comparing(e -> e.getTime() == null ? "" : e.getTime()))
                .map(ManagedFieldsEntry::getManager)
                .orElse(null);
    }

    private static String summary(List<ObjectOutcome> outcomes) {
        Map<ObjectOutcome.Outcome, Integer> counts = new EnumMap<>(ObjectOutcome.Outcome.class);
        outcomes.forEach(o -> counts.merge(o.outcome(), 1, Integer::sum));
        return counts.toString();
    }

    private static String keyOf(String owner, String cluster) {
        return owner + "/" + cluster;
    }

    void stop(@Observes ShutdownEvent event) {
        retries.shutdownNow();
        writePool.shutdownNow();
        applications.close();
        intents.close();
        writers.values().forEach(ClusterWriter::stop);
        driftWatch.stopAll();
    }

    /**
     * One cluster's queue of work, run one item at a time, and what the engine knows of the cluster as a whole
     * rather than of one owner's bundle on it. Forgets that knowledge when the cluster reconnects.
     */
    private final class ClusterWriter {
        private final String cluster;
        private final ExecutorService executor;
        // The resourceVersion of our last write of each object, by object key: the watch then recognises that write
        // coming back without comparing the whole object.
        private final Map<String, String> ownWrites = new ConcurrentHashMap<>();
        // Objects whose failed drift repair waits for its retry: one retry each, however many changes come meanwhile.
        private final Set<String> repairRetries = ConcurrentHashMap.newKeySet();
        // What the database said each owner manages here, read once when the cluster connected; null until then. An
        // owner missing has nothing applied. Each owner's share is taken out by its first run, which keeps it.
        private volatile Map<String, List<AppliedObject>> loaded;
        private KubernetesClient client;
        private BundleApplier applier;

        ClusterWriter(String cluster) {
            this.cluster = cluster;
            this.executor = Executors.newSingleThreadExecutor(Workers.named("bundle-writer-" + cluster + "-"));
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
            } catch (RejectedExecutionException stopping) {
                // shutting down
            }
        }

        void reconnected() {
            loaded = null;
            ownWrites.clear();
        }

        void loaded(Map<String, List<AppliedObject>> byOwner) {
            Map<String, List<AppliedObject>> copy = new ConcurrentHashMap<>();
            byOwner.forEach((owner, objects) -> copy.put(owner, List.copyOf(objects)));
            loaded = copy;
        }

        /** An owner's share of what was read when the cluster connected; null when that read has not happened. */
        List<AppliedObject> takeLoaded(String owner) {
            Map<String, List<AppliedObject>> byOwner = loaded;
            if (byOwner == null) {
                return null;
            }
            List<AppliedObject> objects = byOwner.remove(owner);
            return objects == null ? List.of() : objects;
        }

        String ownWrite(String objectKey) {
            return ownWrites.get(objectKey);
        }

        /**
         * Marks ({@code waiting}) or clears a repair retry of an object ({@code owner/cluster/objectKey}); marking
         * answers whether none was waiting already.
         */
        boolean retryingRepair(String objectKey, boolean waiting) {
            return waiting ? repairRetries.add(objectKey) : repairRetries.remove(objectKey);
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
                                ownWrites.put(object.key(), stored.getMetadata().getResourceVersion());
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
