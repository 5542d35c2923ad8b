package io.meridian.policy.reconcile;

import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.compliance.ComplianceResult;
import io.meridian.contracts.desired.BundleContentHash;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.eventing.Await;
import io.meridian.eventing.catchup.FleetViewCatchUp;
import io.meridian.eventing.desired.Declaration;
import io.meridian.policy.config.PolicyConfig;
import io.meridian.policy.domain.CompiledPolicy;
import io.meridian.policy.domain.EnforcementPlanner;
import io.meridian.policy.domain.FleetCluster;
import io.meridian.policy.domain.FleetCompliance;
import io.meridian.policy.domain.FleetObject;
import io.meridian.policy.domain.cel.CelEnvironment;
import io.meridian.policy.persistence.DesiredBundleStore;
import io.meridian.policy.persistence.PolicyStore;
import io.meridian.policy.persistence.ViolationStore;
import io.meridian.policy.persistence.WaiverStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Keeps the fleet's compliance and the policy bundles converged: every fact (an object, a cluster, a policy, a
 * waiver, time passing) is applied to {@link FleetCompliance} on one thread, the transitions it yields are recorded
 * with their events, and the clusters whose enforcement may have changed get their bundle recomputed.
 * Level-triggered: the periodic sweep re-reads the catalog and waivers and repairs what a failed write missed.
 */
@ApplicationScoped
public class ComplianceReconciler {

    private static final Logger LOG = Logger.getLogger(ComplianceReconciler.class);
    // What declaredHashes holds for a cluster where nothing is wanted: no content hash is empty.
    private static final String NOTHING = "";
    // How often (in sweeps) the table of open violations is compared with the in-memory state.
    private static final int REPAIR_EVERY_SWEEPS = 3;

    private final FleetCompliance fleet;
    private final PolicyStore policies;
    private final WaiverStore waivers;
    private final ViolationStore violations;
    private final DesiredBundleStore bundles;
    private final PolicyConfig config;
    private final FleetViewCatchUp catchUp;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "policy-compliance");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch ready = new CountDownLatch(1);
    // Touched only on the worker thread.
    private final Set<String> dirtyClusters = new HashSet<>();
    private final Map<String, Long> loadedGenerations = new HashMap<>();
    // The content hash the database holds per cluster as far as this replica knows (NOTHING after a tombstone):
    // skips a round trip when equal.
    private final Map<String, String> declaredHashes = new HashMap<>();
    private boolean needsRepair;
    private long sweeps;
    // What the last periodic check found different in the table (violation key -> open in memory): only a difference
    // found again by the next check is put right, so that a view a moment behind another replica's changes nothing.
    private Map<String, Boolean> differedLastCheck = Map.of();

    private final AtomicInteger objects = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger policyCount = new AtomicInteger();
    private final Counter opened;
    private final Counter closed;
    private final Counter evaluations;
    private final Timer objectLatency;
    private final Timer reaudit;

    ComplianceReconciler(
            Clock clock,
            PolicyStore policies,
            WaiverStore waivers,
            ViolationStore violations,
            DesiredBundleStore bundles,
            PolicyConfig config,
            FleetViewCatchUp catchUp,
            MeterRegistry registry) {
        this.fleet = new FleetCompliance(clock);
        this.catchUp = catchUp;
        this.policies = policies;
        this.waivers = waivers;
        this.violations = violations;
        this.bundles = bundles;
        this.config = config;
        Gauge.builder("meridian.policy.objects", objects, AtomicInteger::get)
                .description("Observed objects held for evaluation")
                .register(registry);
        Gauge.builder("meridian.policy.violations.open", open, AtomicInteger::get)
                .description("Open violations across the fleet")
                .register(registry);
        Gauge.builder("meridian.policy.policies", policyCount, AtomicInteger::get)
                .description("Policies in force")
                .register(registry);
        this.opened = Counter.builder("meridian.policy.violations.opened").register(registry);
        this.closed = Counter.builder("meridian.policy.violations.closed").register(registry);
        this.evaluations = Counter.builder("meridian.policy.evaluations")
                .description("Object-policy evaluations")
                .register(registry);
        this.objectLatency = Timer.builder("meridian.policy.object.evaluation")
                .description("Time to evaluate one object change against every policy and record the outcome")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        this.reaudit = Timer.builder("meridian.policy.reaudit")
                .description("Time to re-audit the fleet after a policy change")
                .register(registry);
    }

    void onStart(@Observes StartupEvent start) {
        worker.submit(() -> {
            try {
                fleet.restoreOpen(Await.on(violations::allOpen));
                syncCatalog();
                fleet.waivers(Await.on(waivers::list)); // nothing is observed yet: yields no transitions
                LOG.infof(
                        "compliance state restored: %d policies, %d open violations",
                        policyCount.get(), fleet.openCount());
            } catch (RuntimeException e) {
                LOG.error("could not restore compliance state; the sweep will retry", e);
                needsRepair = true;
            } finally {
                ready.countDown();
                refreshGauges();
            }
        });
    }

    void onStop(@Observes ShutdownEvent stop) {
        worker.shutdown();
    }

    // ------------------------------------------------------------------ facts from the topics

    public void observed(ObservedResource resource) {
        run(() -> {
            long started = System.nanoTime();
            FleetObject object = toFleetObject(resource);
            record(fleet.observe(object, resource.resyncEpoch()));
            if (object.isNamespace()) {
                dirtyClusters.add(object.clusterId());
                declareBundles();
            }
            objectLatency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            return null;
        });
    }

    /** A tombstone on {@code fleet.resources.v1}: the key is {@code clusterId/group/kind/namespace/name}. */
    public void deleted(String recordKey) {
        int slash = recordKey.indexOf('/');
        if (slash <= 0) {
            return;
        }
        String clusterId = recordKey.substring(0, slash);
        String objectKey = recordKey.substring(slash + 1);
        run(() -> {
            record(fleet.forget(clusterId, objectKey));
            if (objectKey.startsWith("/Namespace/")) {
                dirtyClusters.add(clusterId);
                declareBundles();
            }
            return null;
        });
    }

    public void resyncCompleted(io.meridian.contracts.resource.ResyncMarker completed) {
        run(() -> {
            record(fleet.resyncCompleted(completed));
            dirtyClusters.add(completed.clusterId());
            declareBundles();
            return null;
        });
    }

    public void cluster(ClusterSnapshot snapshot) {
        FleetCluster cluster = FleetCluster.of(snapshot);
        run(() -> {
            record(fleet.cluster(cluster));
            dirtyClusters.add(cluster.clusterId());
            declareBundles();
            return null;
        });
    }

    /** The cluster was deregistered: its violations close and its bundle is withdrawn. */
    public void clusterGone(String clusterId) {
        run(() -> {
            record(fleet.clusterGone(clusterId));
            dirtyClusters.add(clusterId);
            declareBundles();
            return null;
        });
    }

    // ------------------------------------------------------------------ changes made through the API

    /** A policy was written (after commit): re-audit the fleet against it now, and redeclare enforcement. */
    public CompletableFuture<Void> policyChanged() {
        return async(() -> {
            syncCatalog();
            return null;
        });
    }

    /** Waivers were written (after commit): what they cover closes, what they no longer cover opens. */
    public CompletableFuture<Void> waiversChanged() {
        return async(() -> {
            record(fleet.waivers(Await.on(waivers::list)));
            return null;
        });
    }

    /** What the PolicyReport of a cluster counts per policy: pass, fail, waived. */
    public CompletableFuture<Map<String, int[]>> tallies(String clusterId) {
        return async(() -> fleet.tallies(clusterId));
    }

    private <T> CompletableFuture<T> async(Callable<T> work) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return work.call();
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                worker);
    }

    @Scheduled(
            every = "${meridian.policy.sweep-interval:5s}",
            delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        if (ready.getCount() > 0) {
            return;
        }
        run(() -> {
            syncCatalog();
            record(fleet.waivers(Await.on(waivers::list)));
            record(fleet.tick());
            sweeps++;
            // Every replica evaluates the whole fleet and writes the one table of violations: while their views
            // differ for a moment, a close from a replica that is behind can land after the open of one that is
            // ahead, and neither would write again. The table is compared with this replica's view now and then,
            // and what differs twice in a row is put right, so that the replicas converge on the table once their
            // views agree. A replica still reading its topics from the start writes nothing (record) and puts the
            // whole difference right once it has caught up.
            if (catchUp.caughtUp() && (needsRepair || sweeps % REPAIR_EVERY_SWEEPS == 0)) {
                try {
                    repair(needsRepair);
                } catch (RuntimeException e) {
                    LOG.warnf(
                            "could not compare the violation table with the compliance state (%s); retrying at the"
                                    + " next sweep",
                            e.getMessage());
                    needsRepair = true;
                }
            }
            if (sweeps % 12 == 0) {
                declaredHashes.clear(); // another replica may have declared meanwhile: look at the table again
            }
            dirtyClusters.addAll(fleet.clusters().keySet());
            declareBundles();
            return null;
        });
    }

    // ------------------------------------------------------------------ on the worker thread

    /** Brings the compiled policies in line with the catalog table: new generations re-audit, removals close. */
    private void syncCatalog() {
        List<PolicyStore.StoredPolicy> stored = Await.on(policies::list);
        Set<String> names = new HashSet<>();
        for (PolicyStore.StoredPolicy p : stored) {
            names.add(p.definition().name());
            Long loaded = loadedGenerations.get(p.definition().name());
            if (loaded != null && loaded == p.generation()) {
                continue;
            }
            switch (CompiledPolicy.compile(p.definition(), p.generation())) {
                case CompiledPolicy.Ok ok -> {
                    long started = System.nanoTime();
                    long before = fleet.evaluations();
                    record(fleet.policy(ok.policy()));
                    reaudit.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                    LOG.infof(
                            "policy %s generation %d in force; re-audited %d objects in %d ms",
                            p.definition().name(),
                            p.generation(),
                            fleet.evaluations() - before,
                            (System.nanoTime() - started) / 1_000_000);
                }
                case CompiledPolicy.Invalid invalid ->
                    // Only possible if the CEL environment changed between versions: keep the old one in force.
                    LOG.errorf(
                            "stored policy %s generation %d no longer compiles: %s",
                            p.definition().name(), p.generation(), invalid.problems());
            }
            loadedGenerations.put(p.definition().name(), p.generation());
            dirtyClusters.addAll(fleet.clusters().keySet());
        }
        for (String gone : Set.copyOf(loadedGenerations.keySet())) {
            if (!names.contains(gone)) {
                loadedGenerations.remove(gone);
                record(fleet.policyGone(gone));
                dirtyClusters.addAll(fleet.clusters().keySet());
                LOG.infof("policy %s removed", gone);
            }
        }
        declareBundles();
    }

    private void record(List<FleetCompliance.Transition> transitions) {
        refreshGauges();
        if (transitions.isEmpty()) {
            return;
        }
        if (!catchUp.caughtUp()) {
            needsRepair = true; // written as one difference once the view is whole
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                Await.on(() -> violations.record(transitions));
                for (var t : transitions) {
                    (t instanceof FleetCompliance.Opened ? opened : closed).increment();
                    LOG.debugf(
                            "%s %s",
                            t instanceof FleetCompliance.Opened ? "opened" : "closed",
                            t.result().key());
                }
                return;
            } catch (RuntimeException e) {
                if (attempt >= config.recordAttempts()) {
                    LOG.errorf(
                            e,
                            "could not record %d compliance transitions; the next sweep repairs them",
                            transitions.size());
                    needsRepair = true;
                    return;
                }
                try {
                    Thread.sleep(200L * attempt); // a short pause for the database to come back
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Makes the table of open violations equal to the in-memory state again, with the events that entails: at once
     * ({@code all}) after writes that failed or were held back, else only what differed at the last check too.
     */
    private void repair(boolean all) {
        Map<String, ComplianceResult> stored = new HashMap<>();
        Await.on(violations::allOpen).forEach(r -> stored.put(r.key(), r));
        Map<String, ComplianceResult> current = new HashMap<>();
        fleet.openResults().forEach(r -> current.put(r.key(), r));
        Map<String, Boolean> differs = new HashMap<>();
        current.keySet().forEach(k -> {
            if (!stored.containsKey(k)) {
                differs.put(k, true);
            }
        });
        stored.keySet().forEach(k -> {
            if (!current.containsKey(k)) {
                differs.put(k, false);
            }
        });
        Map<String, Boolean> before = differedLastCheck;
        List<FleetCompliance.Transition> fixes = new java.util.ArrayList<>();
        current.forEach((k, r) -> {
            if (!stored.containsKey(k) && (all || Boolean.TRUE.equals(before.get(k)))) {
                fixes.add(new FleetCompliance.Opened(r));
            }
        });
        stored.forEach((k, r) -> {
            if (!current.containsKey(k) && (all || Boolean.FALSE.equals(before.get(k)))) {
                fixes.add(new FleetCompliance.Closed(new ComplianceResult(
                        r.policy(),
                        r.policyGeneration(),
                        r.clusterId(),
                        r.object(),
                        ComplianceResult.State.Closed,
                        r.severity(),
                        r.categories(),
                        r.action(),
                        all
                                ? "closed while this replica could not write the violation table"
                                : "no longer a violation (found by the periodic check of the table)",
                        r.evaluatedAt())));
            }
        });
        needsRepair = false;
        fixes.forEach(f -> differs.remove(f.result().key()));
        differedLastCheck = differs;
        if (!fixes.isEmpty()) {
            LOG.infof("violation table put right: %d violations opened or closed", fixes.size());
        }
        record(fixes);
    }

    /**
     * Declares the bundle of every dirty cluster: what its policies want there, or a tombstone when that is nothing or
     * the cluster left the fleet. A cluster stays dirty until the declaration is committed, so the next call retries.
     */
    private void declareBundles() {
        // From a partial view (a replica replaying the topics from the start) a bundle would lack the namespaces not
        // read yet, and inventory would prune their admission objects: the clusters stay dirty until caught up.
        if (dirtyClusters.isEmpty() || !catchUp.caughtUp()) {
            return;
        }
        Map<String, FleetCluster> clusters = fleet.clusters();
        for (String clusterId : List.copyOf(dirtyClusters)) {
            FleetCluster cluster = clusters.get(clusterId);
            List<Map<String, Object>> objects = cluster == null
                    ? List.of()
                    : EnforcementPlanner.desired(cluster, fleet.policies(), fleet.namespaces(clusterId));
            String wanted = objects.isEmpty() ? NOTHING : BundleContentHash.of(objects);
            if (wanted.equals(declaredHashes.get(clusterId))) {
                dirtyClusters.remove(clusterId);
                continue;
            }
            try {
                Declaration result = Await.on(
                        () -> cluster == null ? bundles.retract(clusterId) : bundles.declare(clusterId, objects));
                switch (result) {
                    case Declaration.Declared d ->
                        LOG.infof(
                                "cluster %s: declared policy bundle generation %d with %d objects",
                                clusterId, d.generation(), d.objectCount());
                    case Declaration.Tombstoned t ->
                        LOG.infof(
                                "cluster %s: withdrew policy bundle generation %d (%s)",
                                clusterId,
                                t.generation(),
                                cluster == null ? "the cluster left the fleet" : "no policy wants anything there");
                    case Declaration.Unchanged u -> {
                        // another replica, or this one before a restart, declared the same already
                    }
                }
                if (cluster == null) {
                    declaredHashes.remove(clusterId); // nothing more will be declared for a cluster that is gone
                } else {
                    declaredHashes.put(clusterId, wanted);
                }
                dirtyClusters.remove(clusterId);
            } catch (RuntimeException e) {
                LOG.warnf(
                        "cluster %s: could not declare the policy bundle (%s); the sweep retries",
                        clusterId, e.getMessage());
            }
        }
    }

    private void refreshGauges() {
        objects.set(fleet.objectCount());
        open.set(fleet.openCount());
        policyCount.set(fleet.policies().size());
        long total = fleet.evaluations();
        double counted = evaluations.count();
        if (total > counted) {
            evaluations.increment(total - counted);
        }
    }

    private <T> T run(Callable<T> work) {
        try {
            if (!ready.await(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("compliance state not restored within 2 minutes");
            }
            return worker.submit(work).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @SuppressWarnings("unchecked")
    static FleetObject toFleetObject(ObservedResource r) {
        Map<String, Object> manifest =
                r.object() == null ? null : (Map<String, Object>) CelEnvironment.toCel(r.object());
        return new FleetObject(
                r.clusterId(), r.apiGroup(), r.apiVersion(), r.kind(), r.namespace(), r.name(), r.labels(), manifest);
    }
}
