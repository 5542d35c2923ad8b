package io.meridian.inventory.persistence;

import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Runs reactive registry work from a blocking thread (connection supervisors, importers): on a Vert.x
 * context, as Hibernate Reactive requires, waiting for the result.
 */
public final class Await {

    private Await() {}

    /** Longest wait for the database; a supervisor must never hang on it forever. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

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
