package io.meridian.placement.api;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;

/**
 * CPU-bound request work (reading a YAML or JSON workload, checking it, building an explanation) on a worker thread:
 * a 256 KiB body or a hundred manifests would hold the event loop for tens of milliseconds and stall every other
 * request. The result comes back on the request's Vert.x context, where Hibernate Reactive expects the next step.
 */
final class WorkerThreads {

    private WorkerThreads() {}

    /** {@code work} on a worker thread, its result or failure (checked ones included) on the caller's context. */
    static <T> Uni<T> compute(Callable<T> work) {
        Uni<T> computed = Uni.createFrom()
                .<T>emitter(emitter -> {
                    T result;
                    try {
                        result = work.call();
                    } catch (Exception e) {
                        // Failed as thrown, so the exception mappers answer as they would for the same error anywhere.
                        emitter.fail(e);
                        return;
                    }
                    emitter.complete(result);
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        Context context = Vertx.currentContext();
        return context == null ? computed : computed.emitOn(task -> context.runOnContext(ignored -> task.run()));
    }
}
