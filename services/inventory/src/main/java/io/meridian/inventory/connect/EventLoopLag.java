package io.meridian.inventory.connect;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * How late the event loops of the cluster clients run what is handed to them: a probe whose answer arrived but sat
 * behind other work on a loop (a replica decoding a fleet's worth of lists and watch events on 2 cores) says that
 * this replica is busy, not that the cluster is gone. Every {@link #SAMPLE_EVERY} a task stamped with the time is put
 * on each loop; its delay when it runs is the lag. A loop that has not run its task yet counts with the age of it.
 */
final class EventLoopLag implements AutoCloseable {

    static final Duration SAMPLE_EVERY = Duration.ofMillis(250);

    private static final Logger LOG = Logger.getLogger(EventLoopLag.class);

    // Monotonic nanoseconds: a wall clock stepped by NTP would look like lag.
    private final LongSupplier nanos;
    private final long busyNanos;
    private final List<Loop> loops = new ArrayList<>();
    private final AtomicLong lastBusyAt;
    private final ScheduledExecutorService sampler;

    /** One event loop: the time its pending sample was handed to it, or {@link #NONE} when none is pending. */
    private record Loop(EventExecutor executor, AtomicLong pendingSince) {}

    private static final long NONE = Long.MIN_VALUE;

    /**
     * @param busy a lag from this much on counts as busy
     * @param nanos a monotonic clock in nanoseconds ({@code System::nanoTime})
     */
    EventLoopLag(Vertx vertx, Duration busy, LongSupplier nanos) {
        this.nanos = nanos;
        this.busyNanos = busy.toNanos();
        // Long ago: not busy at start.
        this.lastBusyAt = new AtomicLong(nanos.getAsLong() - Duration.ofDays(1).toNanos());
        for (EventExecutor executor : ((VertxInternal) vertx).getEventLoopGroup()) {
            loops.add(new Loop(executor, new AtomicLong(NONE)));
        }
        this.sampler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "event-loop-lag");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleWithFixedDelay(this::sample, 0, SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sample() {
        try {
            long now = nanos.getAsLong();
            for (Loop loop : loops) {
                long pending = loop.pendingSince().get();
                if (pending != NONE) {
                    // Still not run: the loop is at least this late.
                    record(now - pending, now);
                    continue;
                }
                loop.pendingSince().set(now);
                loop.executor().execute(() -> {
                    long ran = nanos.getAsLong();
                    record(ran - loop.pendingSince().getAndSet(NONE), ran);
                });
            }
        } catch (RuntimeException e) {
            // A loop shutting down refuses tasks: sampling goes on with the next round, never stops silently.
            LOG.debugf(e, "event-loop lag sample failed");
        }
    }

    private void record(long lag, long at) {
        if (lag >= busyNanos) {
            lastBusyAt.accumulateAndGet(at, Math::max);
        }
    }

    /** Whether some loop ran late by the busy threshold or more within the last {@code window}. */
    boolean busyWithin(Duration window) {
        return nanos.getAsLong() - lastBusyAt.get() <= window.toNanos();
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
