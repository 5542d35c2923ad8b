package io.meridian.inventory.persistence;

import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;

/**
 * Runs reactive registry work from a blocking thread (connection supervisors, importers): on a Vert.x
 * context, as Hibernate Reactive requires, waiting for the result.
 */
public final class Await {

    private Await() {}

    public static <T> T on(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
