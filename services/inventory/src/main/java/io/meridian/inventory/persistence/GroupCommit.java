package io.meridian.inventory.persistence;

import io.meridian.eventing.Await;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Group commit: many threads each wait for their item to be written, and one thread writes whatever has
 * queued up meanwhile in a single transaction. Under load a hundred clusters finishing at once cost a few
 * transactions instead of a hundred; alone, an item is written at once, with no added delay. Items with the
 * same key never share a transaction, so a later one always commits after an earlier one. When a batch
 * fails, its items are retried one by one, so one bad item fails only its own caller.
 */
public final class GroupCommit<T> implements AutoCloseable {

    /** Writes a batch in one transaction, blocking until it committed; throws when it did not. */
    @FunctionalInterface
    public interface BatchWriter<T> {
        void write(List<T> items);
    }

    private record Pending<T>(T item, CompletableFuture<Void> done) {}

    private static final Logger LOG = Logger.getLogger(GroupCommit.class);
    // A batch waits for the one before it, each bounded by Await.TIMEOUT.
    private static final java.time.Duration COMMIT_TIMEOUT = Await.TIMEOUT;

    private final String name;
    private final int maxBatch;
    private final Function<T, Object> key;
    private final BatchWriter<T> write;
    private final LinkedBlockingQueue<Pending<T>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param name what is written, for the thread name and error messages
     * @param maxBatch most items in one transaction
     * @param key items with equal keys go to different transactions, in submission order
     * @param write writes a batch in one transaction
     */
    public GroupCommit(String name, int maxBatch, Function<T, Object> key, BatchWriter<T> write) {
        this.name = name;
        this.maxBatch = maxBatch;
        this.key = key;
        this.write = write;
        this.thread = Thread.ofPlatform().name(name + "-commit").daemon().start(this::run);
    }

    /**
     * Blocks until the transaction holding {@code item} has committed.
     *
     * @throws IllegalStateException when it could not be written; the caller decides whether to retry
     */
    public void commit(T item) {
        if (!running) {
            throw new IllegalStateException(name + ": shutting down");
        }
        Pending<T> pending = new Pending<>(item, new CompletableFuture<>());
        queue.add(pending);
        try {
            pending.done().get(2 * COMMIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + ": interrupted while waiting for the database", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    name + ": the database did not commit within " + 2 * COMMIT_TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IllegalStateException illegal
                    ? illegal
                    : new IllegalStateException(name + ": " + cause.getMessage(), cause);
        }
    }

    /** Items waiting for a transaction (not counting the one being written), for metrics and tests. */
    public int waiting() {
        return queue.size();
    }

    private void run() {
        Pending<T> carried = null;
        while (running) {
            try {
                Pending<T> first = carried != null ? carried : queue.poll(1, TimeUnit.SECONDS);
                carried = null;
                if (first == null) {
                    continue;
                }
                List<Pending<T>> batch = new ArrayList<>();
                Set<Object> keys = new HashSet<>();
                batch.add(first);
                keys.add(key.apply(first.item()));
                Pending<T> next;
                while (batch.size() < maxBatch && (next = queue.poll()) != null) {
                    if (!keys.add(key.apply(next.item()))) {
                        carried = next; // same key as one in this batch: it goes first in the next one
                        break;
                    }
                    batch.add(next);
                }
                writeBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<Pending<T>> left = new ArrayList<>();
        if (carried != null) {
            left.add(carried);
        }
        queue.drainTo(left);
        left.forEach(p -> p.done().completeExceptionally(new IllegalStateException(name + ": shutting down")));
    }

    private void writeBatch(List<Pending<T>> batch) {
        try {
            write.write(batch.stream().map(Pending::item).toList());
            batch.forEach(p -> p.done().complete(null));
        } catch (RuntimeException failure) {
            if (batch.size() == 1) {
                batch.getFirst().done().completeExceptionally(failure);
                return;
            }
            LOG.warnf(
                    "%s: a group of %d failed (%s); writing them one by one", name, batch.size(), failure.getMessage());
            for (Pending<T> pending : batch) {
                try {
                    write.write(List.of(pending.item()));
                    pending.done().complete(null);
                } catch (RuntimeException one) {
                    pending.done().completeExceptionally(one);
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
