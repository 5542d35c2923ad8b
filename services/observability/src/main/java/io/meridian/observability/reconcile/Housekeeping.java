package io.meridian.observability.reconcile;

import io.meridian.observability.config.ObservabilityConfig;
import io.meridian.observability.domain.SeriesStore;
import io.meridian.observability.persistence.AlertStore;
import io.meridian.observability.persistence.AuditIndex;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.jboss.logging.Logger;

/** Keeps memory and tables bounded: old points and series, resolved alerts, audit records past retention. */
@ApplicationScoped
public class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class);

    private final SeriesStore series;
    private final AlertStore alerts;
    private final AuditIndex audit;
    private final ObservabilityConfig config;
    private final Clock clock;

    Housekeeping(SeriesStore series, AlertStore alerts, AuditIndex audit, ObservabilityConfig config, Clock clock) {
        this.series = series;
        this.alerts = alerts;
        this.audit = audit;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "30s", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void pruneSeries() {
        int removed = series.prune(clock.millis());
        if (removed > 0) {
            LOG.debugf("forgot %d series without samples in the window", removed);
        }
    }

    @Scheduled(
            every = "${meridian.observability.audit.purge-interval}",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purge() {
        return purgeNow().replaceWithVoid();
    }

    /** Purges audit records past the retention and resolved alerts past theirs; returns the audit count. */
    public Uni<Integer> purgeNow() {
        return audit.purgeOlderThan(config.audit().retention())
                .invoke(n -> {
                    if (n > 0) {
                        LOG.infof(
                                "purged %d audit records older than %s",
                                n, config.audit().retention());
                    }
                })
                .call(() -> alerts.purgeResolved(config.alerts().resolvedRetention()));
    }
}
