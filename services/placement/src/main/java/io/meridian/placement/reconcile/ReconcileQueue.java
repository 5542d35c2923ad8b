package io.meridian.placement.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The workloads waiting for a reconcile, each at most once, and never handed to two workers at once: a workload
 * woken while a worker reconciles it is queued again when that worker is done, so the change is seen. Wake-ups at a
 * time (a pause ends, a grace period runs out) keep only the earliest per workload.
 *
 * <p>A fleet event (an object's status, a sync report) queues its workloads after a settle time rather than at once:
 * it comes from one cluster of many, and the same change on the other clusters follows within moments, so one
 * reconcile looks at them together instead of one reconcile each (in {@code bench placement}, 57 reconciles per workload
 * created on 100 clusters, most of placement's CPU, on a machine the creation keeps busy). An API write, a timed
 * wake-up, the periodic resync and a hand-over of workloads to this replica queue at once.
 *
 * <p>Wake-ups of many workloads at once (a fleet change, a sync report, the periodic resync) queue only the workloads
 * this replica owns ({@link WorkloadOwnership}, ADR 0011); a single workload's wake-up (an API write this replica took)
 * and the timed wake-ups its own reconciles planned are queued whoever owns it: the advisory locks keep that safe, and
 * the owner's next look converges to the same result.
 */
final class ReconcileQueue {

    private final Clock clock;
    private final Predicate<String> owned;
    private final Duration settle;
    private final ScheduledThreadPoolExecutor timer = wakeUpTimer();
    // Guarded by this.
    private final LinkedHashSet<String> queued = new LinkedHashSet<>();
    private final Set<String> running = new HashSet<>();
    private final Set<String> again = new HashSet<>();
    private final Map<String, Wake> wakes = new HashMap<>();
    private boolean closed;

    /**
     * One thread for every timed wake-up. A cancelled wake-up leaves its queue at once: fleet events replace planned
     * wake-ups minutes away (a health timeout) many times over, and each would otherwise wait there until its time.
     */
    private static ScheduledThreadPoolExecutor wakeUpTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "placement-wake-ups");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** A timed wake-up of one workload. */
    private record Wake(Instant at, ScheduledFuture<?> future) {}

    /** A queue of a replica that owns every workload (a single replica, tests), where fleet events settle for none. */
    ReconcileQueue(Clock clock) {
        this(clock, name -> true, Duration.ZERO);
    }

    /**
     * @param owned whether this replica reconciles a workload on a fleet event or a resync
     * @param settle how long after a fleet event its workloads are queued ({@link #addAllSettled})
     */
    ReconcileQueue(Clock clock, Predicate<String> owned, Duration settle) {
        this.clock = clock;
        this.owned = owned;
        this.settle = settle;
    }

    /** Queues a workload for a reconcile, whoever owns it: a change this replica was told of directly. */
    synchronized void add(String name) {
        if (running.contains(name)) {
            again.add(name);
        } else if (queued.add(name)) {
            notifyAll();
        }
    }

    /** Queues those of {@code names} this replica owns: a wake-up of many at once, which every replica gets. */
    synchronized void addAll(Collection<String> names) {
        for (String name : names) {
            if (owned.test(name)) {
                add(name);
            }
        }
    }

    /**
     * Queues those of {@code names} this replica owns, a settle time from now: the wake-up of a fleet event. A
     * workload queued already, or with a wake-up planned sooner, is left as it is: the reconcile to come reads the
     * fleet as it is then. A wake-up planned later (a pause's end, a health timeout) is replaced: every reconcile
     * plans its next wake-up again from what is stored.
     */
    synchronized void addAllSettled(Collection<String> names) {
        if (settle.isZero()) {
            addAll(names);
            return;
        }
        Instant at = clock.instant().plus(settle);
        for (String name : names) {
            if (owned.test(name) && !queued.contains(name)) {
                addAt(name, at);
            }
        }
    }

    /** Queues a workload at {@code at}, unless an earlier wake-up of it is planned already. */
    synchronized void addAt(String name, Instant at) {
        if (closed) {
            return;
        }
        Wake planned = wakes.get(name);
        if (planned != null && !planned.future().isDone() && !planned.at().isAfter(at)) {
            return;
        }
        if (planned != null) {
            planned.future().cancel(false);
        }
        long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
        ScheduledFuture<?> future = timer.schedule(() -> woken(name, at), delay, TimeUnit.MILLISECONDS);
        wakes.put(name, new Wake(at, future));
    }

    private synchronized void woken(String name, Instant at) {
        Wake planned = wakes.get(name);
        if (planned != null && planned.at().equals(at)) {
            wakes.remove(name);
        }
        add(name);
    }

    /** The next workload to reconcile; waits for one. The caller calls {@link #done} when it is through. */
    synchronized String take() throws InterruptedException {
        while (queued.isEmpty()) {
            if (closed) {
                throw new InterruptedException("the reconcile queue is closed");
            }
            wait();
        }
        Iterator<String> first = queued.iterator();
        String name = first.next();
        first.remove();
        running.add(name);
        return name;
    }

    /** A worker is through with a workload; woken meanwhile, it is queued again. */
    synchronized void done(String name) {
        running.remove(name);
        if (again.remove(name) && queued.add(name)) {
            notifyAll();
        }
    }

    /** Workloads queued and not yet taken. */
    synchronized int depth() {
        return queued.size();
    }

    synchronized void close() {
        closed = true;
        timer.shutdownNow();
        notifyAll();
    }
}
