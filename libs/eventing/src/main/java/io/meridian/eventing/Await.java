package io.meridian.eventing;

import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Runs reactive database work from a blocking thread (inventory's connection supervisors and importers, policy's
 * compliance thread, observability's alert evaluator): on a Vert.x context, as Hibernate Reactive requires, waiting for
 * the result, never forever.
 */
public final class Await {

    /** Longest wait for the database; a worker must never hang on it forever. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Await() {}

    public static <T> T on(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> work.get()
                    .ifNoItem()
                    .after(TIMEOUT)
                    .failWith(() -> new IllegalStateException(
                            "the database did not answer within " + TIMEOUT.toSeconds() + " s")));
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
