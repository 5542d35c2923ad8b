package io.meridian.identity.reconcile;

import io.meridian.contracts.sync.ObjectOutcome;
import io.meridian.contracts.sync.SyncReport;
import io.meridian.identity.domain.GrantConvergence;
import io.meridian.identity.persistence.ClusterSyncEntity;
import io.meridian.identity.persistence.FleetView;
import io.meridian.identity.persistence.GrantEntity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Records inventory's sync reports of identity's bundles and announces a grant as applied (event and audit) the first
 * time its RBAC is in place on every cluster it reaches.
 */
@ApplicationScoped
public class GrantStatusTracker {

    private static final Logger LOG = Logger.getLogger(GrantStatusTracker.class);

    private final Mutiny.SessionFactory sessions;
    private final FleetView fleet;
    private final GrantLifecycle lifecycle;

    GrantStatusTracker(Mutiny.SessionFactory sessions, FleetView fleet, GrantLifecycle lifecycle) {
        this.sessions = sessions;
        this.fleet = fleet;
        this.lifecycle = lifecycle;
    }

    public Uni<Void> reported(SyncReport report) {
        return sessions.withTransaction(session -> session.find(ClusterSyncEntity.class, report.clusterId())
                .chain(row -> {
                    if (row != null && report.generationWanted() < row.generationWanted) {
                        return Uni.createFrom().voidItem(); // an older generation's report arrived late
                    }
                    ClusterSyncEntity sync = row == null ? new ClusterSyncEntity() : row;
                    sync.clusterId = report.clusterId();
                    sync.generationWanted = report.generationWanted();
                    sync.generationApplied = report.generationApplied();
                    sync.failures = failures(report);
                    sync.reportedAt = report.reportedAt().atOffset(ZoneOffset.UTC);
                    Uni<Void> write = row == null
                            ? session.persist(sync)
                            : Uni.createFrom().voidItem();
                    return write.call(session::flush).chain(() -> announceApplied(session));
                }));
    }

    private Uni<Void> announceApplied(Mutiny.Session session) {
        return session.createQuery(
                        "from GrantEntity where state = 'Active' and appliedAt is null order by id", GrantEntity.class)
                .getResultList()
                .chain(waiting -> {
                    if (waiting.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    return fleet.snapshot(session).chain(snapshot -> {
                        Uni<Void> chain = Uni.createFrom().voidItem();
                        for (GrantEntity row : waiting) {
                            GrantConvergence convergence = snapshot.convergence(row.toDomain());
                            if (convergence.complete()) {
                                LOG.infof("grant %s applied on all %d clusters", row.id, convergence.clusters());
                                chain = chain.chain(() -> lifecycle.applied(session, row, convergence.clusters()));
                            }
                        }
                        return chain;
                    });
                });
    }

    private static Map<String, String> failures(SyncReport report) {
        Map<String, String> failures = new HashMap<>();
        for (ObjectOutcome o : report.outcomes()) {
            if (o.outcome() == ObjectOutcome.Outcome.Failed || o.outcome() == ObjectOutcome.Outcome.Conflict) {
                String key = o.kind() + "/" + (o.namespace() == null ? "" : o.namespace()) + "/" + o.name();
                failures.put(key, o.outcome() + (o.reason() == null ? "" : ": " + o.reason()));
            }
        }
        return failures;
    }
}
