package io.meridian.inventory.connect;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How late the event loops of the cluster clients run what is handed to them: a probe whose answer arrived but sat
 * behind other work on a loop (a replica decoding a fleet's worth of lists and watch events on 2 cores) says that
 * this replica is busy, not that the cluster is gone. Every {@link #SAMPLE_EVERY} a task stamped with the time is put
 * on each loop; its delay when it runs is the lag. A loop that has not run its task yet counts with the age of it.
 */
final class EventLoopLag implements AutoCloseable {

    static final Duration SAMPLE_EVERY = Duration.ofMillis(250);

    private final Clock clock;
    private final long busyMillis;
    private final List<Loop> loops = new ArrayList<>();
    private final AtomicLong lastBusyAt = new AtomicLong(Long.MIN_VALUE / 2);
    private final ScheduledExecutorService sampler;

    /** One event loop: the time its pending sample was handed to it, or 0 when none is pending. */
    private record Loop(EventExecutor executor, AtomicLong pendingSince) {}

    /**
     * @param busy a lag from this much on counts as busy
     */
    EventLoopLag(Vertx vertx, Duration busy, Clock clock) {
        this.clock = clock;
        this.busyMillis = busy.toMillis();
        for (EventExecutor executor : ((VertxInternal) vertx).getEventLoopGroup()) {
            loops.add(new Loop(executor, new AtomicLong()));
        }
        this.sampler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "event-loop-lag");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleWithFixedDelay(this::sample, 0, SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sample() {
        long now = clock.millis();
        for (Loop loop : loops) {
            long pending = loop.pendingSince().get();
            if (pending != 0) {
                // Still not run: the loop is at least this late.
                record(now - pending, now);
                continue;
            }
            loop.pendingSince().set(now);
            loop.executor().execute(() -> {
                long ran = clock.millis();
                record(ran - loop.pendingSince().getAndSet(0), ran);
            });
        }
    }

    private void record(long lag, long at) {
        if (lag >= busyMillis) {
            lastBusyAt.accumulateAndGet(at, Math::max);
        }
    }

    /** Whether some loop ran late by the busy threshold or more within the last {@code window}. */
    boolean busyWithin(Duration window) {
        return clock.millis() - lastBusyAt.get() <= window.toMillis();
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
