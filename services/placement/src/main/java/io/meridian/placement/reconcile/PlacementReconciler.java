package io.meridian.placement.reconcile;

import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.contracts.placement.PlacementKey;
import io.meridian.contracts.selector.SelectableLabels;
import io.meridian.eventing.Await;
import io.meridian.eventing.audit.AuditTrail;
import io.meridian.eventing.catchup.FleetViewCatchUp;
import io.meridian.eventing.outbox.Outbox;
import io.meridian.placement.config.PlacementConfig;
import io.meridian.placement.domain.Actuation;
import io.meridian.placement.domain.Assignment;
import io.meridian.placement.domain.BundleBudget;
import io.meridian.placement.domain.BundleRenderer;
import io.meridian.placement.domain.ClusterFacts;
import io.meridian.placement.domain.ClusterHealth;
import io.meridian.placement.domain.ClusterObservation;
import io.meridian.placement.domain.FleetView;
import io.meridian.placement.domain.PlacementDecision;
import io.meridian.placement.domain.PlacementEvent;
import io.meridian.placement.domain.PlacementPolicy;
import io.meridian.placement.domain.PlacementScheduler;
import io.meridian.placement.domain.RolloutCommand;
import io.meridian.placement.domain.RolloutPhase;
import io.meridian.placement.domain.RolloutPlanner;
import io.meridian.placement.domain.RolloutRequest;
import io.meridian.placement.domain.SchedulingRequest;
import io.meridian.placement.domain.Workload;
import io.meridian.placement.domain.WorkloadProgress;
import io.meridian.placement.domain.WorkloadRevision;
import io.meridian.placement.domain.WorkloadSync;
import io.meridian.placement.persistence.DesiredBundleStore;
import io.meridian.placement.persistence.DesiredBundleStore.ClusterBundle;
import io.meridian.placement.persistence.OperatorCommandStore;
import io.meridian.placement.persistence.OperatorCommandStore.Pending;
import io.meridian.placement.persistence.PlacementLocks;
import io.meridian.placement.persistence.ReconcileIndex;
import io.meridian.placement.persistence.WorkloadStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Converges every workload to where it should run: for one workload at a time, the fleet as placement sees it and the
 * workload go to the {@link PlacementScheduler}; a changed decision is stored and published; the {@link
 * RolloutPlanner} turns it into what each cluster runs, with the events that tells; and every cluster whose share
 * changed gets its bundle, all workloads placed there rendered again, declared in the same transaction.
 *
 * <p>Level-triggered: an event only says "look at this workload again"; the reconcile re-reads everything, so a lost
 * or repeated event converges all the same, and a periodic resync repairs what a failed write missed. A workload is
 * never reconciled twice at once (a queue here, an advisory lock across replicas), and nothing is reconciled before
 * the fleet view has caught up with the fleet streams: a partial view would look like a fleet-wide outage.
 */
@ApplicationScoped
public class PlacementReconciler implements WorkloadReconcileTrigger {

    private static final Logger LOG = Logger.getLogger(PlacementReconciler.class);

    /** Revisions never change once written, so they are kept; this many at most, the least recently used go first. */
    private static final int REVISIONS_KEPT = 4096;

    // Per rendered object, for a replica count that changes by a few digits between the check and the declaration.
    private static final long RENDER_TOLERANCE_BYTES = 16;

    private final Mutiny.SessionFactory sessions;
    private final WorkloadStore workloads;
    private final DesiredBundleStore bundles;
    private final OperatorCommandStore commands;
    private final PlacementLocks locks;
    private final ReconcileIndex index;
    private final FleetViewCache fleet;
    private final FleetViewCatchUp catchUp;
    private final Outbox outbox;
    private final AuditTrail audit;
    private final Clock clock;
    private final PlacementConfig config;

    private final PlacementScheduler scheduler = new PlacementScheduler();
    private final RolloutPlanner planner = new RolloutPlanner();
    private final BundleRenderer renderer = new BundleRenderer();
    private final ReconcileQueue queue;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean stopping;

    // The workloads this replica knows of, for a wake-up of all of them (a cluster changed).
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    // The labels each cluster's bundle was last rendered with by this replica: a change re-renders it.
    private final Map<String, SelectableLabels> renderedWith = new ConcurrentHashMap<>();
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
    private final Map<String, RolloutPhase> phases = new ConcurrentHashMap<>();
    private final Map<RevisionKey, WorkloadRevision> revisions =
            java.util.Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<RevisionKey, WorkloadRevision> eldest) {
                    return size() > REVISIONS_KEPT;
                }
            });

    private final Counter decisions;
    private final Counter halted;
    private final Counter reconcileFailures;
    private final MeterRegistry registry;
    private final Timer duration;

    PlacementReconciler(
            Mutiny.SessionFactory sessions,
            WorkloadStore workloads,
            DesiredBundleStore bundles,
            OperatorCommandStore commands,
            PlacementLocks locks,
            ReconcileIndex index,
            FleetViewCache fleet,
            FleetViewCatchUp catchUp,
            Outbox outbox,
            AuditTrail audit,
            Clock clock,
            PlacementConfig config,
            WorkloadOwnership ownership,
            MeterRegistry registry) {
        this.sessions = sessions;
        this.workloads = workloads;
        this.bundles = bundles;
        this.commands = commands;
        this.locks = locks;
        this.index = index;
        this.fleet = fleet;
        this.catchUp = catchUp;
        this.outbox = outbox;
        this.audit = audit;
        this.clock = clock;
        this.config = config;
        this.registry = registry;
        this.queue = new ReconcileQueue(clock, ownership::owns, config.fleetEventSettle());
        for (RolloutPhase phase : RolloutPhase.values()) {
            Gauge.builder("meridian.placement.workloads", phases, p -> count(p, phase))
                    .description("Placed workloads by the phase of their rollout")
                    .tag("phase", phase.name())
                    .register(registry);
        }
        Gauge.builder("meridian.placement.reconcile.queue", queue, ReconcileQueue::depth)
                .description("Workloads waiting for a reconcile")
                .register(registry);
        this.decisions = Counter.builder("meridian.placement.decisions")
                .description("Placement decisions made (a changed decision, published on fleet.placement.v1)")
                .register(registry);
        this.halted = Counter.builder("meridian.placement.rollouts.halted")
                .description("Rollouts halted at a cluster's health gate")
                .register(registry);
        this.reconcileFailures = Counter.builder("meridian.placement.reconcile.failures")
                .description("Reconciles that failed and are retried")
                .register(registry);
        this.duration = Timer.builder("meridian.placement.reconcile")
                .description("Time to reconcile one workload: decide, plan, render and declare its clusters' bundles")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    private static double count(Map<String, RolloutPhase> phases, RolloutPhase phase) {
        return phases.values().stream().filter(p -> p == phase).count();
    }

    void onStart(@Observes StartupEvent start) {
        for (int i = 0; i < Math.max(1, config.workers()); i++) {
            Thread t = new Thread(this::work, "placement-reconcile-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    void onStop(@Observes ShutdownEvent stop) {
        stopping = true;
        queue.close();
        workers.forEach(Thread::interrupt);
    }

    // ------------------------------------------------------------------ what wakes a workload

    @Override
    public void workloadChanged(String name) {
        known.add(name);
        queue.add(name);
    }

    /** A change of the fleet view: look again at the workloads it may affect. */
    public void wake(FleetViewCache.Affected affected) {
        switch (affected) {
            case FleetViewCache.Affected.Nothing ignored -> {}
            case FleetViewCache.Affected.AllWorkloads ignored -> queue.addAllSettled(known);
            case FleetViewCache.Affected.Workloads w -> queue.addAllSettled(w.names());
        }
    }

    /** Workloads whose partitions this replica was just assigned: the new owner looks at each at once. */
    public void handedOver(Collection<String> names) {
        queue.addAll(names);
    }

    /** Inventory applied bundles carrying these workloads on a cluster. */
    public void applied(Collection<String> names) {
        queue.addAllSettled(names);
    }

    /** Looks at every workload again: the repair for a lost event, a failed write, another replica's change. */
    @Scheduled(
            every = "${meridian.placement.resync-period:30s}",
            delayed = "${meridian.placement.resync-period:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> resync() {
        if (stopping || !catchUp.caughtUp()) {
            return Uni.createFrom().voidItem();
        }
        return sessions.withSession(index::workloads)
                .invoke(names -> {
                    known.addAll(names);
                    queue.addAll(names);
                })
                .replaceWithVoid();
    }

    // ------------------------------------------------------------------ the workers

    private void work() {
        try {
            while (!catchUp.awaitCaughtUp(Duration.ofSeconds(1))) {
                if (stopping) {
                    return;
                }
            }
            if (workers.getFirst() == Thread.currentThread()) {
                Await.on(this::resync); // the first look at everything, as soon as the view is whole
            }
        } catch (InterruptedException e) {
            return;
        } catch (RuntimeException e) {
            LOG.warnf("could not list the workloads after start (%s); the resync will", e.getMessage());
        }
        while (!stopping) {
            String name;
            try {
                name = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                reconcile(name);
                attempts.remove(name);
            } catch (RuntimeException e) {
                reconcileFailures.increment();
                int attempt = attempts.merge(name, 1, Integer::sum);
                Duration backoff = backoff(attempt);
                LOG.warnf(
                        e,
                        "workload %s: reconcile failed (attempt %d), retrying in %d ms: %s",
                        name,
                        attempt,
                        backoff.toMillis(),
                        e.getMessage());
                queue.addAt(name, clock.instant().plus(backoff));
            } finally {
                queue.done(name);
            }
        }
    }

    private Duration backoff(int attempt) {
        Duration first = config.retryBackoff();
        Duration max = config.resyncPeriod();
        Duration d = first.multipliedBy(1L << Math.min(attempt - 1, 20));
        return d.compareTo(max) > 0 ? max : d;
    }

    /** A deregistered cluster's render memory goes with it. */
    void forget(@jakarta.enterprise.event.Observes ClustersHeld held) {
        renderedWith.keySet().retainAll(held.clusterIds());
    }

    /** Reconciles one workload now, on the calling thread; for the workers (and tests). */
    void reconcile(String name) {
        long started = System.nanoTime();
        Instant now = clock.instant();
        FleetView view = fleet.fleet();
        Outcome outcome = Await.on(() -> sessions.withTransaction(s -> new Step(s, name, view, now).run()));
        renderedWith.putAll(outcome.rendered());
        switch (outcome) {
            case Outcome.Placed p -> {
                known.add(name);
                phases.put(name, p.progress().rollout().phase());
                if (p.decisionChanged()) {
                    decisions.increment();
                }
                for (PlacementEvent e : p.events()) {
                    count(e);
                }
                if (p.wakeAt() != null) {
                    queue.addAt(name, p.wakeAt());
                }
            }
            case Outcome.Withdrawn w -> {
                known.remove(name);
                phases.remove(name);
                LOG.infof(
                        "workload %s: withdrawn from %d clusters",
                        name, w.rendered().size());
            }
            case Outcome.Absent ignored -> {
                known.remove(name);
                phases.remove(name);
            }
        }
        duration.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    private void count(PlacementEvent e) {
        String kind = switch (e) {
            case PlacementEvent.RolloutHalted h -> {
                halted.increment();
                yield null;
            }
            case PlacementEvent.FailoverStarted f -> "started";
            case PlacementEvent.FailoverCompleted f -> "completed";
            case PlacementEvent.FailoverSuppressed f -> "suppressed";
            case PlacementEvent.FailbackCompleted f -> "failback";
            default -> null;
        };
        if (kind != null) {
            Counter.builder("meridian.placement.failovers")
                    .description("Failover steps: started, completed, suppressed, and failbacks completed")
                    .tag("kind", kind)
                    .register(registry)
                    .increment();
        }
    }

    // ------------------------------------------------------------------ one reconcile

    /** What one reconcile did, and the labels of each cluster whose bundle it rendered. */
    private sealed interface Outcome {

        Map<String, SelectableLabels> rendered();

        /** The workload is placed; its decision changed or not, its planner announced these events. */
        record Placed(
                WorkloadProgress progress,
                boolean decisionChanged,
                List<PlacementEvent> events,
                Instant wakeAt,
                Map<String, SelectableLabels> rendered)
                implements Outcome {}

        /** The workload was deleted: it left every cluster, its state is forgotten. */
        record Withdrawn(Map<String, SelectableLabels> rendered) implements Outcome {}

        /** Nothing of the workload is held: nothing to do. */
        record Absent() implements Outcome {
            @Override
            public Map<String, SelectableLabels> rendered() {
                return Map.of();
            }
        }
    }

    private record RevisionKey(String workload, long generation) {}

    /** One reconcile of one workload, in one transaction. */
    private final class Step {

        private final Mutiny.Session s;
        private final String name;
        private final FleetView view;
        private final Instant now;

        private Workload workload;
        private PlacementDecision previous;
        private WorkloadProgress progress;
        private Pending pending;
        private Map<String, Long> applied;
        private Map<String, WorkloadSync.ApplyFailure> applyFailures;
        private Map<String, Long> bundleBytesOfOthers;
        private Map<String, Long> bundleBytesHeld;
        // Other workloads' progress, read once per reconcile when their clusters are rendered.
        private final Map<String, WorkloadProgress> others = new HashMap<>();
        // The revisions this reconcile renders: the shared cache may let one go meanwhile (another worker's reads).
        private final Map<RevisionKey, WorkloadRevision> loaded = new HashMap<>();

        Step(Mutiny.Session s, String name, FleetView view, Instant now) {
            this.s = s;
            this.name = name;
            this.view = view;
            this.now = now;
        }

        Uni<Outcome> run() {
            return locks.workload(s, name)
                    .chain(() -> workloads.state(s, name))
                    .invoke(state -> {
                        workload = state.workload().orElse(null);
                        previous = state.decision().orElse(null);
                        progress = state.progress().orElse(null);
                    })
                    .chain(() -> commands.lock(s, name))
                    .invoke(c -> pending = c)
                    .chain(() -> bundles.reportedOf(s, name))
                    .invoke(r -> {
                        applied = r.applied();
                        applyFailures = r.failures();
                    })
                    .chain(() -> bundles.bundleBytes(s, name))
                    .invoke(b -> {
                        bundleBytesOfOthers = b.others();
                        bundleBytesHeld = b.held();
                    })
                    .chain(() -> workload != null ? place() : withdraw());
        }

        // ---- a live workload

        private Uni<Outcome> place() {
            Set<Long> generations = new TreeSet<>();
            generations.add(workload.generation());
            revisions.put(new RevisionKey(name, workload.generation()), WorkloadRevision.of(workload));
            if (progress != null) {
                progress.assignments().values().forEach(a -> generations.add(a.generation()));
            }
            Uni<Void> loaded = Uni.createFrom().voidItem();
            for (long g : generations) {
                loaded = loaded.chain(() -> revision(name, g)).replaceWithVoid();
            }
            return loaded.chain(this::previousPolicy).chain(this::decide);
        }

        /**
         * The room in each cluster's bundle. Where the workload's estimate does not fit but it is in the bundle already,
         * what its current generation renders there, at the replicas it runs there now (a share the decision changes
         * moves a few digits, hence the tolerance): so the scheduler judges an incumbent as {@link #requireRoom} will.
         */
        private BundleBudget budget(WorkloadRevision current) {
            BundleBudget estimated = new BundleBudget(
                    config.bundleMaxBytes(), footprint(current), bundleBytesOfOthers, bundleBytesHeld, Map.of());
            Map<String, BundleBudget.Rendered> rendered = new HashMap<>();
            bundleBytesHeld.keySet().forEach(clusterId -> {
                Assignment now =
                        progress == null ? null : progress.assignments().get(clusterId);
                ClusterFacts cluster = view.get(clusterId);
                if (now == null || cluster == null || !estimated.needsRendering(clusterId)) {
                    return;
                }
                List<Map<String, Object>> objects = renderer.render(
                        current, clusterId, cluster.labels(), new Assignment(current.generation(), now.replicas()));
                rendered.put(
                        clusterId,
                        new BundleBudget.Rendered(
                                DesiredBundleStore.bytesOf(objects), RENDER_TOLERANCE_BYTES * objects.size()));
            });
            return new BundleBudget(
                    estimated.limitBytes(), estimated.workloadBytes(), bundleBytesOfOthers, bundleBytesHeld, rendered);
        }

        /** The policy the previous decision was made under, when it was made for another generation. */
        private Uni<PlacementPolicy> previousPolicy() {
            if (previous == null || previous.generation() == workload.generation()) {
                return Uni.createFrom().nullItem();
            }
            return workloads
                    .atGeneration(s, name, previous.generation())
                    .map(w -> w.map(Workload::placement).orElse(null));
        }

        private Uni<Outcome> decide(PlacementPolicy previousPolicy) {
            Map<String, ClusterObservation> observed = progress == null
                    ? Map.of()
                    : withApplyFailures(
                            fleet.observations(
                                    name,
                                    workload.namespace(),
                                    progress.assignments(),
                                    applied,
                                    g -> expectedObjects(loaded.get(new RevisionKey(name, g)))),
                            applyFailures);
            Set<String> unhealthy = RolloutPlanner.unhealthyClusters(workload, progress, observed, now);
            FleetView forWorkload = unhealthy.isEmpty() ? view : unhealthyFor(view, unhealthy, observed);
            PlacementDecision decision = scheduler.schedule(new SchedulingRequest(
                    workload,
                    forWorkload,
                    previous,
                    pending.failoverApproved(),
                    pending.failback(),
                    now,
                    previousPolicy,
                    unhealthy,
                    budget(WorkloadRevision.of(workload))));
            boolean changed = previous == null || !sameDecision(previous, decision);
            RolloutCommand command = pending.resume() ? new RolloutCommand.Resume() : null;
            Actuation actuation =
                    planner.plan(new RolloutRequest(workload, decision, previous, progress, observed, command, now));
            WorkloadProgress next = actuation.next();

            Set<String> displaced = decision.displaced().stream()
                    .map(PlacementDecision.Displacement::clusterId)
                    .collect(Collectors.toSet());
            Pending left = new Pending(
                    false,
                    pending.failoverApproved() && decision.suppressed() != null,
                    pending.failback().stream().filter(displaced::contains).collect(Collectors.toSet()));

            String currency = PlacementFacts.currency(
                            view,
                            Stream.concat(
                                            decision.chosen().stream().map(PlacementDecision.ChosenCluster::clusterId),
                                            previous == null
                                                    ? Stream.<String>empty()
                                                    : previous.chosen().stream()
                                                            .map(PlacementDecision.ChosenCluster::clusterId))
                                    .toList())
                    .orElse(null);
            List<Outbox.Message> messages = new ArrayList<>();
            if (changed) {
                messages.add(new Outbox.Message(
                        EventType.PLACEMENT_DECISION_MADE,
                        PlacementKey.decision(name).value(),
                        name,
                        PlacementFacts.decision(decision, view)));
            }
            for (PlacementEvent event : actuation.events()) {
                PlacementFacts.event(event, currency, now).ifPresent(p -> {
                    messages.add(new Outbox.Message(p.type(), p.fact().key(), name, p.fact()));
                    messages.add(auditOf(p.type(), event));
                });
                log(event);
            }

            Uni<Void> writes = Uni.createFrom().voidItem();
            if (changed) {
                writes = writes.chain(() -> workloads.saveDecision(s, decision));
            }
            if (!next.equals(progress)) {
                writes = writes.chain(() -> workloads.saveProgress(s, name, next, actuation.wakeAt()));
            }
            if (!left.equals(pending)) {
                writes = writes.chain(() -> commands.save(s, name, left));
            }
            if (!messages.isEmpty()) {
                writes = writes.chain(() -> outbox.appendAll(s, messages).replaceWithVoid());
            }
            Map<String, Assignment> before = progress == null ? Map.of() : progress.assignments();
            Set<String> touched = touched(before, next.assignments());
            Instant wakeAt = earliest(decision.nextReviewAt(), actuation.wakeAt());
            if (changed) {
                LOG.infof(
                        "workload %s generation %d: placed on %s%s",
                        name,
                        workload.generation(),
                        decision.chosen().stream()
                                .map(c -> c.clusterId() + "x" + c.replicas())
                                .toList(),
                        decision.suppressed() == null
                                ? ""
                                : " (failover suppressed: "
                                        + decision.suppressed().reason() + ")");
            }
            return writes.chain(() -> render(touched, next.assignments(), before))
                    .map(rendered -> new Outcome.Placed(next, changed, actuation.events(), wakeAt, rendered));
        }

        /**
         * The clusters whose bundle must be rendered again: where this workload's assignment changed, where a bundle
         * carries it that should not (or does not that should), and where the cluster's labels changed since this
         * replica last rendered it (overrides select by them).
         */
        private Set<String> touched(Map<String, Assignment> before, Map<String, Assignment> after) {
            Set<String> touched = new TreeSet<>();
            Stream.concat(before.keySet().stream(), after.keySet().stream())
                    .filter(c -> !Objects.equals(before.get(c), after.get(c)))
                    .forEach(touched::add);
            applied.keySet().stream().filter(c -> !after.containsKey(c)).forEach(touched::add);
            after.keySet().stream().filter(c -> !applied.containsKey(c)).forEach(touched::add);
            for (String c : after.keySet()) {
                ClusterFacts facts = view.get(c);
                if (facts != null && !facts.labels().equals(renderedWith.get(c))) {
                    touched.add(c);
                }
            }
            return touched;
        }

        // ---- a deleted workload

        private Uni<Outcome> withdraw() {
            Set<String> clusters = new TreeSet<>(applied.keySet());
            if (progress != null) {
                clusters.addAll(progress.assignments().keySet());
            }
            if (previous == null && progress == null && clusters.isEmpty() && pending.equals(Pending.NONE)) {
                return Uni.createFrom().item(new Outcome.Absent());
            }
            List<Outbox.Message> audits = List.of(audit.messageAs(
                    audit.serviceActor(),
                    "placement.withdrawn",
                    new AuditRecord.Target("Workload", name, null),
                    AuditRecord.Outcome.success,
                    Map.of("clusters", String.join(",", clusters))));
            return workloads
                    .forget(s, name)
                    .chain(() -> commands.forget(s, name))
                    // The compacted topic would keep the deleted workload's last facts forever.
                    .chain(() -> outbox.appendTombstone(
                            s,
                            EventType.PLACEMENT_DECISION_MADE,
                            PlacementKey.decision(name).value(),
                            name))
                    .chain(() -> outbox.appendTombstone(
                            s,
                            EventType.ROLLOUT_STARTED,
                            PlacementKey.rollout(name).value(),
                            name))
                    .chain(() -> outbox.appendTombstone(
                            s,
                            EventType.FAILOVER_STARTED,
                            PlacementKey.failover(name).value(),
                            name))
                    .chain(() -> outbox.appendAll(s, audits))
                    .chain(() -> render(clusters, Map.of(), Map.of()))
                    .map(Outcome.Withdrawn::new);
        }

        // ---- the bundles

        /**
         * Renders and declares the bundle of every cluster in {@code clusters}: each workload the cluster's last
         * bundle carried at its current assignment, and this workload at {@code own}. A cluster no longer in the fleet
         * gets nothing (its bundle is withdrawn). The clusters are locked first, so that the assignments of the other
         * workloads are read only after any other reconcile of the cluster committed.
         */
        private Uni<Map<String, SelectableLabels>> render(
                Set<String> clusters, Map<String, Assignment> own, Map<String, Assignment> ownBefore) {
            if (clusters.isEmpty()) {
                return Uni.createFrom().item(Map.of());
            }
            List<ClusterBundle> wanted = new ArrayList<>();
            Map<String, SelectableLabels> rendered = new HashMap<>();
            // A few statements whatever the number of clusters: the locks, what each bundle carries, the progress of
            // the other workloads there, then the declaration.
            return locks.clusters(s, clusters)
                    .chain(() -> index.on(s, clusters))
                    .call(carried -> loadProgress(
                            carried.values().stream()
                                    .flatMap(List::stream)
                                    .filter(w -> !w.equals(name))
                                    .toList(),
                            clusters))
                    .call(() -> loadRevisions(name, own.values()))
                    .chain(carried -> {
                        for (String clusterId : new TreeSet<>(clusters)) {
                            ClusterBundle bundle =
                                    bundleOf(clusterId, own.get(clusterId), carried.getOrDefault(clusterId, List.of()));
                            requireRoom(bundle, own.get(clusterId), ownBefore.get(clusterId), heldOn(clusterId));
                            wanted.add(bundle);
                            ClusterFacts facts = view.get(clusterId);
                            if (facts != null) {
                                rendered.put(clusterId, facts.labels());
                            }
                        }
                        return bundles.declare(s, wanted);
                    })
                    .map(declarations -> {
                        declarations.forEach(d -> LOG.debugf("cluster %s: placement bundle %s", d.clusterId(), d));
                        return rendered;
                    });
        }

        /**
         * Refuses to declare a bundle past the limit when this workload puts something new in it: the scheduler keeps
         * a workload off a cluster without room, but its size is an estimate and two workloads reconciled at once may
         * both have counted on the same room. The reconcile fails and is retried, deciding again with the room that is
         * left, while the bundle in force (which Kafka carries) stays. The rule is {@link BundleBudget#admits}, which
         * the scheduler applies to a workload already in the bundle too: a bundle over the limit only because the limit
         * was lowered (or because another workload filled it) still lets a workload leave, stay as it is, or change
         * without taking more bytes than it holds there.
         */
        private void requireRoom(ClusterBundle bundle, Assignment own, Assignment ownBefore, long heldBytes) {
            if (own == null || own.equals(ownBefore)) {
                return;
            }
            long bytes = DesiredBundleStore.bytesOf(bundle.objects());
            List<Map<String, Object>> ownObjects = DesiredBundleStore.objectsOf(bundle, name);
            if (!BundleBudget.admits(
                    bytes,
                    DesiredBundleStore.bytesOf(ownObjects),
                    heldBytes,
                    config.bundleMaxBytes(),
                    RENDER_TOLERANCE_BYTES * ownObjects.size())) {
                throw new IllegalStateException("cluster " + bundle.clusterId() + ": the bundle with generation "
                        + own.generation() + " of workload " + name + " would hold " + bytes
                        + " bytes, over the limit of " + config.bundleMaxBytes() + "; deciding again");
            }
        }

        private long heldOn(String clusterId) {
            return bundleBytesHeld == null ? 0 : bundleBytesHeld.getOrDefault(clusterId, 0L);
        }

        /**
         * The bundle of one cluster: each workload it carries at its assignment there, and this workload at {@code
         * own}. Every revision and every progress it needs is loaded already.
         */
        private ClusterBundle bundleOf(String clusterId, Assignment own, List<String> carried) {
            ClusterFacts cluster = view.get(clusterId);
            if (cluster == null) {
                return new ClusterBundle(clusterId, List.of(), Map.of());
            }
            // By workload name (a TreeMap), so that the same assignments always render the same bundle.
            Map<String, Assignment> assignments = new TreeMap<>();
            if (own != null) {
                assignments.put(name, own);
            }
            for (String other : carried) {
                WorkloadProgress p = other.equals(name) ? null : others.get(other);
                Assignment a = p == null ? null : p.assignments().get(clusterId);
                if (a != null) {
                    assignments.put(other, a);
                }
            }
            List<Map<String, Object>> objects = new ArrayList<>();
            Map<String, Long> generations = new TreeMap<>();
            assignments.forEach((workload, assignment) -> {
                WorkloadRevision revision = loaded.get(new RevisionKey(workload, assignment.generation()));
                if (revision == null) {
                    throw new IllegalStateException(
                            "generation " + assignment.generation() + " of workload " + workload + " was not loaded");
                }
                objects.addAll(renderer.render(revision, clusterId, cluster.labels(), assignment));
                generations.put(workload, assignment.generation());
            });
            return new ClusterBundle(clusterId, objects, generations);
        }

        /**
         * Reads, in one statement, the progress of the workloads not read yet in this reconcile, then every revision
         * they run on those of {@code clusters} still in the fleet (the ones rendered) that is not kept yet.
         */
        private Uni<Void> loadProgress(Collection<String> names, Set<String> clusters) {
            List<String> missing = names.stream()
                    .distinct()
                    .filter(w -> !others.containsKey(w))
                    .toList();
            return workloads.progresses(s, missing).chain(read -> {
                missing.forEach(w -> others.put(w, read.get(w)));
                Uni<Void> chain = Uni.createFrom().voidItem();
                for (String w : new TreeSet<>(names)) {
                    WorkloadProgress p = others.get(w);
                    if (p == null) {
                        continue;
                    }
                    List<Assignment> rendered = clusters.stream()
                            .filter(c -> view.get(c) != null)
                            .map(c -> p.assignments().get(c))
                            .filter(Objects::nonNull)
                            .toList();
                    chain = chain.chain(() -> loadRevisions(w, rendered));
                }
                return chain;
            });
        }

        /** Every revision of {@code workload} that {@code assignments} run, read where it is not kept yet. */
        private Uni<Void> loadRevisions(String workload, Collection<Assignment> assignments) {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (long g :
                    assignments.stream().map(Assignment::generation).collect(Collectors.toCollection(TreeSet::new))) {
                chain = chain.chain(() -> revision(workload, g)).replaceWithVoid();
            }
            return chain;
        }

        private Uni<WorkloadRevision> revision(String workloadName, long generation) {
            RevisionKey key = new RevisionKey(workloadName, generation);
            WorkloadRevision cached = revisions.get(key);
            if (cached != null) {
                loaded.put(key, cached);
                return Uni.createFrom().item(cached);
            }
            return workloads.revision(s, workloadName, generation).map(r -> {
                WorkloadRevision revision = r.orElseThrow(() -> new IllegalStateException(
                        "generation " + generation + " of workload " + workloadName + " was never written"));
                revisions.put(key, revision);
                loaded.put(key, revision);
                return revision;
            });
        }

        private Outbox.Message auditOf(EventType type, PlacementEvent event) {
            Map<String, String> details = new TreeMap<>();
            details.put("event", type.type());
            details.put("detail", event.toString());
            String action = "placement."
                    + type.type()
                            .replaceFirst("^io\\.meridian\\.placement\\.", "")
                            .replaceFirst("\\.v1$", "");
            return audit.messageAs(
                    audit.serviceActor(),
                    action,
                    new AuditRecord.Target("Workload", name, null),
                    AuditRecord.Outcome.success,
                    details);
        }

        private void log(PlacementEvent event) {
            switch (event) {
                case PlacementEvent.RolloutHalted h ->
                    LOG.warnf(
                            "workload %s: rollout of generation %d halted at cluster %s: %s (%s)",
                            name, h.generation(), h.cluster(), h.condition(), h.message());
                case PlacementEvent.FailoverSuppressed f ->
                    LOG.warnf(
                            "workload %s: failover from %s suppressed: %s", name, f.unreachableClusters(), f.reason());
                default -> LOG.infof("workload %s: %s", name, event);
            }
        }
    }

    // ------------------------------------------------------------------ pure helpers

    /** The {@code Kind/name} of a revision's Deployments and StatefulSets: what must be available on a cluster. */
    static List<String> expectedObjects(WorkloadRevision revision) {
        if (revision == null) {
            return List.of();
        }
        return revision.manifests().stream()
                .filter(m -> "Deployment".equals(m.get("kind")) || "StatefulSet".equals(m.get("kind")))
                .map(BundleRenderer::reference)
                .toList();
    }

    /**
     * The fleet as one workload sees it: the clusters where it has been unavailable for its {@code unhealthyAfter}
     * are not Ready for it, since when it crossed that line.
     */
    static FleetView unhealthyFor(FleetView fleet, Set<String> unhealthy, Map<String, ClusterObservation> observed) {
        List<ClusterFacts> facts = new ArrayList<>();
        for (ClusterFacts c : fleet.clusters().values()) {
            if (!unhealthy.contains(c.clusterId()) || c.health() != ClusterHealth.READY) {
                facts.add(c);
                continue;
            }
            ClusterObservation o = observed.get(c.clusterId());
            facts.add(new ClusterFacts(
                    c.clusterId(),
                    c.name(),
                    c.labels(),
                    ClusterHealth.NOT_READY,
                    o == null || o.unavailableSince() == null ? c.healthSince() : o.unavailableSince(),
                    c.allocatable(),
                    c.requested(),
                    c.rates()));
        }
        return FleetView.of(facts);
    }

    /**
     * At most what a workload's objects take in a cluster's bundle, without rendering it for every cluster: its
     * manifests and overrides as JSON, plus the most that rendering adds to them anywhere.
     */
    static long footprint(WorkloadRevision revision) {
        if (revision == null) {
            return 0;
        }
        return DesiredBundleStore.bytesOf(revision.manifests())
                + (revision.overrides().isEmpty() ? 0 : EventJson.write(revision.overrides()).length)
                + BundleRenderer.bytesAddedAtMost(revision);
    }

    /** The observations with the object of the workload that inventory could not apply, by cluster. */
    static Map<String, ClusterObservation> withApplyFailures(
            Map<String, ClusterObservation> observed, Map<String, WorkloadSync.ApplyFailure> failures) {
        if (failures.isEmpty()) {
            return observed;
        }
        Map<String, ClusterObservation> out = new HashMap<>(observed);
        failures.forEach((clusterId, failure) -> {
            ClusterObservation o = out.get(clusterId);
            out.put(
                    clusterId,
                    o == null
                            ? new ClusterObservation(clusterId, 0, false, null, null, failure)
                            : o.withApplyFailure(failure));
        });
        return out;
    }

    /** Whether two decisions say the same, whenever each was made. */
    static boolean sameDecision(PlacementDecision a, PlacementDecision b) {
        return withoutTime(a).equals(withoutTime(b));
    }

    private static PlacementDecision withoutTime(PlacementDecision d) {
        return new PlacementDecision(
                d.workload(),
                d.generation(),
                d.chosen(),
                d.rejected(),
                d.unmetSpread(),
                d.suppressed(),
                d.displaced(),
                d.monthlyCost(),
                null,
                d.nextReviewAt());
    }

    private static Instant earliest(Instant a, Instant b) {
        return Stream.of(a, b)
                .filter(Objects::nonNull)
                .min(Comparator.naturalOrder())
                .orElse(null);
    }

    /** Whether the fleet view is whole and the reconciler runs: what readiness reports. */
    public boolean ready() {
        return catchUp.caughtUp() && !stopping;
    }

    /** For the explanation: the clusters the reconciler knows a workload is assigned to, observed now. */
    public Map<String, ClusterObservation> observe(
            Workload workload, WorkloadProgress progress, Map<String, Long> applied, Map<Long, WorkloadRevision> at) {
        if (progress == null) {
            return Map.of();
        }
        return fleet.observations(
                workload.name(),
                workload.namespace(),
                progress.assignments(),
                applied,
                g -> expectedObjects(at.get(g)));
    }
}
