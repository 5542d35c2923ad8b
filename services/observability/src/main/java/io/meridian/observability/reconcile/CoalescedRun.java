package io.meridian.observability.reconcile;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a step soon after {@link #wake()}, on a thread of its own, one run at a time: wakes while a run is under way
 * cause exactly one more run, so a burst of wakes costs two runs, not one each. The step's periodic schedule stays
 * the backstop; this only keeps a change from waiting for the next tick.
 */
final class CoalescedRun implements AutoCloseable {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(CoalescedRun.class);

    private final AtomicBoolean requested = new AtomicBoolean();
    private final String name;
    private final AtomicBoolean running = new AtomicBoolean();
    private final ExecutorService thread;
    private final Runnable step;

    CoalescedRun(String name, Runnable step) {
        this.name = name;
        this.step = step;
        this.thread = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name(name).daemon().factory());
    }

    /** Asks for a run of the step as soon as the one under way (if any) ends. */
    void wake() {
        requested.set(true);
        start();
    }

    private void start() {
        if (running.compareAndSet(false, true)) {
            try {
                thread.execute(this::drain);
            } catch (RejectedExecutionException closed) {
                running.set(false); // shutting down: the schedule is stopping too
            }
        }
    }

    private void drain() {
        try {
            while (requested.getAndSet(false)) {
                try {
                    step.run();
                } catch (RuntimeException e) {
                    // The step logs its own failures; one that escapes must not end the runs that follow.
                    LOG.warnf("%s failed: %s", name, e.toString());
                }
            }
        } finally {
            running.set(false);
        }
        // A wake between the last check and clearing 'running' must not be lost.
        if (requested.get()) {
            start();
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
