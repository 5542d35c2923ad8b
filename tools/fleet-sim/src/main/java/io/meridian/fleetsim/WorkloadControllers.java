package io.meridian.fleetsim;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The simulated kube-controller-manager of one cluster: Deployment and StatefulSet controllers that follow every
 * write of a spec (a generation ahead of {@code status.observedGeneration}) after a delay, the garbage collector for
 * deleted workloads, progress deadlines, status heartbeats ("churn"), workloads broken on purpose and the HPA's writes
 * to the scale subresource. Seeded objects, whose status already observed their generation, cost nothing at start.
 */
final class WorkloadControllers implements AutoCloseable {

    /** How long after a write the controllers act, unless configured otherwise. */
    static final Duration DEFAULT_DELAY = Duration.ofSeconds(1);

    private static final Logger LOG = Logger.getLogger(WorkloadControllers.class.getName());
    private static final int MAX_REPLICAS = 500;

    private final String cluster;
    private final ClusterStore store;
    private final ControllerWrites writes;
    private final WorkloadReconciler reconciler;
    private final ScheduledExecutorService scheduler;
    private final Duration delay;
    private final ConcurrentMap<WorkloadKey, WorkloadState> states = new ConcurrentHashMap<>();
    private final Object churnLock = new Object();
    private ScheduledFuture<?> churn;
    private Duration churnEvery = Duration.ZERO;
    private volatile boolean closed;

    /**
     * What the controllers remember of one workload; nothing at all for most of them.
     *
     * @param queued a reconcile is scheduled and has not started yet
     * @param brokenByControl marked through the control API as never becoming ready
     * @param timedGeneration the generation whose progress deadline is being timed, -1 for none
     * @param deadline the timer of that deadline, while it runs
     * @param deadlineExceeded the deadline of {@code timedGeneration} has passed
     */
    private record WorkloadState(
            boolean queued,
            boolean brokenByControl,
            long timedGeneration,
            ScheduledFuture<?> deadline,
            boolean deadlineExceeded) {

        static final WorkloadState NONE = new WorkloadState(false, false, -1, null, false);

        WorkloadState withQueued(boolean q) {
            return new WorkloadState(q, brokenByControl, timedGeneration, deadline, deadlineExceeded);
        }

        WorkloadState withBroken(boolean broken) {
            cancelDeadline();
            return new WorkloadState(queued, broken, -1, null, false);
        }

        WorkloadState timing(long generation, ScheduledFuture<?> timer) {
            cancelDeadline();
            return new WorkloadState(queued, brokenByControl, generation, timer, false);
        }

        WorkloadState exceeded() {
            return new WorkloadState(queued, brokenByControl, timedGeneration, null, true);
        }

        WorkloadState untimed() {
            cancelDeadline();
            return new WorkloadState(queued, brokenByControl, -1, null, false);
        }

        void cancelDeadline() {
            if (deadline != null) {
                deadline.cancel(false);
            }
        }

        /** Nothing worth keeping: the entry can go, so that memory stays flat over many workloads. */
        boolean empty() {
            return !queued && !brokenByControl && timedGeneration < 0;
        }
    }

    private WorkloadControllers(
            String cluster,
            ClusterDispatcher dispatcher,
            ScheduledExecutorService scheduler,
            Clock clock,
            Duration delay,
            long seed) {
        this.cluster = cluster;
        this.store = new ClusterStore(dispatcher);
        this.writes = new ControllerWrites(dispatcher);
        this.reconciler = new WorkloadReconciler(store, writes, clock, seed);
        this.scheduler = scheduler;
        this.delay = delay;
    }

    /**
     * Starts the controllers of the cluster behind {@code dispatcher}: from now on every stored write of a
     * Deployment or StatefulSet spec is reconciled {@code delay} later on {@code scheduler}.
     */
    static WorkloadControllers attach(
            String cluster,
            ClusterDispatcher dispatcher,
            ScheduledExecutorService scheduler,
            Clock clock,
            Duration delay,
            long seed) {
        WorkloadControllers controllers = new WorkloadControllers(cluster, dispatcher, scheduler, clock, delay, seed);
        dispatcher.crud().onWorkloadChange(controllers::observe);
        return controllers;
    }

    Duration delay() {
        return delay;
    }

    /** Takes note of a stored change; runs with the store's write lock held, so it only schedules. */
    private void observe(WorkloadChange change) {
        switch (change) {
            case WorkloadChange.Written written -> {
                if (written.specAhead()) {
                    enqueue(written.key());
                }
            }
            case WorkloadChange.Deleted deleted -> {
                WorkloadState gone = states.remove(deleted.key());
                if (gone != null) {
                    gone.cancelDeadline();
                }
                schedule(() -> collect(deleted), delay);
            }
        }
    }

    /** Schedules one reconcile of {@code key} after the delay, unless one is already waiting. */
    private void enqueue(WorkloadKey key) {
        if (closed) {
            return;
        }
        boolean[] fresh = {false};
        states.compute(key, (k, s) -> {
            WorkloadState state = s == null ? WorkloadState.NONE : s;
            if (state.queued()) {
                return state;
            }
            fresh[0] = true;
            return state.withQueued(true);
        });
        if (fresh[0] && schedule(() -> run(key), delay) == null) {
            update(key, s -> s.withQueued(false));
        }
    }

    private void run(WorkloadKey key) {
        update(key, s -> s.withQueued(false));
        if (closed) {
            return;
        }
        try {
            synchronized (this) {
                reconcile(key);
            }
        } catch (ClusterStore.StoreException e) {
            if (e.status() == 409) {
                // Someone wrote in between: read everything again, as a controller requeues on a conflict.
                enqueue(key);
            } else {
                LOG.log(Level.WARNING, "cluster={0} workload={1}: reconcile failed: {2}", new Object[] {
                    cluster, key, e.getMessage()
                });
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cluster=" + cluster + " workload=" + key + ": reconcile failed", e);
        }
    }

    private void reconcile(WorkloadKey key) {
        WorkloadState state = states.getOrDefault(key, WorkloadState.NONE);
        WorkloadReconciler.Result result = switch (key.kind()) {
            case DEPLOYMENT -> reconciler.deployment(key, state.brokenByControl(), state.deadlineExceeded());
            case STATEFULSET -> reconciler.statefulSet(key, state.brokenByControl(), state.deadlineExceeded());
        };
        if (result == null) {
            WorkloadState gone = states.remove(key);
            if (gone != null) {
                gone.cancelDeadline();
            }
            return;
        }
        update(key, s -> {
            if (!result.stuck()) {
                return s.untimed();
            }
            if (s.timedGeneration() == result.generation() && (s.deadline() != null || s.deadlineExceeded())) {
                return s;
            }
            ScheduledFuture<?> timer =
                    schedule(() -> deadlinePassed(key, result.generation()), result.progressDeadline());
            return s.timing(result.generation(), timer);
        });
    }

    private void deadlinePassed(WorkloadKey key, long generation) {
        update(key, s -> s.timedGeneration() == generation ? s.exceeded() : s);
        enqueue(key);
    }

    private void collect(WorkloadChange.Deleted deleted) {
        if (closed) {
            return;
        }
        try {
            synchronized (this) {
                reconciler.collect(deleted);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cluster=" + cluster + " workload=" + deleted.key() + ": collection failed", e);
        }
    }

    /**
     * Marks a workload as never becoming ready (its pods crash-loop) or heals it, then reconciles it.
     *
     * @param kindName {@code Deployment} or {@code StatefulSet}; null finds whichever exists (a Deployment first)
     */
    Map<String, Object> markBroken(String namespace, String kindName, String name, boolean broken) {
        WorkloadKey key = resolve(namespace, kindName, name);
        states.compute(key, (k, s) -> (s == null ? WorkloadState.NONE : s).withBroken(broken));
        enqueue(key);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("cluster", cluster);
        result.put("namespace", namespace);
        result.put("kind", key.kind().kind());
        result.put("name", name);
        result.put("broken", broken);
        return result;
    }

    /** Sets {@code spec.replicas} through the scale subresource as {@code kube-controller-manager}, as the HPA does. */
    Map<String, Object> hpaScale(String namespace, String kindName, String name, int replicas) {
        if (replicas < 0 || replicas > MAX_REPLICAS) {
            throw FleetException.badRequest("replicas must be between 0 and " + MAX_REPLICAS + ", got " + replicas);
        }
        WorkloadKey.Kind kind = WorkloadKey.Kind.of(kindName == null ? "Deployment" : kindName);
        if (kind == null) {
            throw FleetException.badRequest("kind must be Deployment or StatefulSet, got '" + kindName + "'");
        }
        GenericKubernetesResource before = store.get(kind.resource(), namespace, name);
        if (before == null) {
            throw FleetException.notFound("no " + kind.kind() + " " + namespace + "/" + name);
        }
        Object previous =
                before.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec ? spec.get("replicas") : null;
        writes.scale(kind.resource(), namespace, name, replicas, WorkloadReconciler.CONTROLLER_MANAGER);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("cluster", cluster);
        result.put("namespace", namespace);
        result.put("kind", kind.kind());
        result.put("name", name);
        result.put("replicas", replicas);
        result.put("previousReplicas", previous == null ? 1 : previous);
        return result;
    }

    /** Rewrites the status of every Deployment and StatefulSet every {@code every}; zero stops it. */
    void statusChurn(Duration every) {
        if (every.isNegative()) {
            throw FleetException.badRequest("the churn interval cannot be negative");
        }
        synchronized (churnLock) {
            if (churn != null) {
                churn.cancel(false);
                churn = null;
            }
            churnEvery = every;
            if (!every.isZero() && !closed) {
                churn = scheduler.scheduleAtFixedRate(
                        this::heartbeat, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    Duration statusChurn() {
        synchronized (churnLock) {
            return churnEvery;
        }
    }

    private void heartbeat() {
        if (closed) {
            return;
        }
        try {
            synchronized (this) {
                reconciler.heartbeat();
            }
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again: report and keep beating.
            LOG.log(Level.WARNING, "cluster=" + cluster + ": status churn failed", e);
        }
    }

    private WorkloadKey resolve(String namespace, String kindName, String name) {
        if (kindName != null) {
            WorkloadKey.Kind kind = WorkloadKey.Kind.of(kindName);
            if (kind == null) {
                throw FleetException.badRequest("kind must be Deployment or StatefulSet, got '" + kindName + "'");
            }
            if (store.get(kind.resource(), namespace, name) == null) {
                throw FleetException.notFound("no " + kind.kind() + " " + namespace + "/" + name);
            }
            return new WorkloadKey(kind, namespace, name);
        }
        for (WorkloadKey.Kind kind : WorkloadKey.Kind.values()) {
            if (store.get(kind.resource(), namespace, name) != null) {
                return new WorkloadKey(kind, namespace, name);
            }
        }
        throw FleetException.notFound("no Deployment or StatefulSet " + namespace + "/" + name);
    }

    private void update(WorkloadKey key, UnaryOperator<WorkloadState> change) {
        states.compute(key, (k, s) -> {
            WorkloadState next = change.apply(s == null ? WorkloadState.NONE : s);
            return next.empty() ? null : next;
        });
    }

    private ScheduledFuture<?> schedule(Runnable task, Duration after) {
        try {
            return scheduler.schedule(task, after.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The fleet is shutting down.
            return null;
        }
    }

    @Override
    public void close() {
        closed = true;
        statusChurn(Duration.ZERO);
        states.values().forEach(WorkloadState::cancelDeadline);
        states.clear();
    }
}
