package io.meridian.identity.reconcile;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Sweeps expired grants on a schedule, so just-in-time access ends on time without anyone acting; the same sweep
 * re-opens Active grants whose approval no longer covers their role ({@link GrantLifecycle#reopenUnheld}).
 */
@ApplicationScoped
public class GrantExpiry {

    private static final Logger LOG = Logger.getLogger(GrantExpiry.class);

    private final GrantLifecycle lifecycle;

    GrantExpiry(GrantLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Scheduled(
            every = "${meridian.identity.expiry-sweep:10s}",
            delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return lifecycle
                .expireDue()
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf("expiry sweep failed (%s); the next sweep retries", e.getMessage());
                    return 0;
                })
                .chain(lifecycle::reopenUnheld)
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf("approval sweep failed (%s); the next sweep retries", e.getMessage());
                    return 0;
                })
                .replaceWithVoid();
    }
}
