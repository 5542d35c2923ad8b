package io.meridian.identity.reconcile;

import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.identity.persistence.FleetClusterEntity;
import io.meridian.identity.persistence.ObservedRbacStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Objects;
import java.util.Set;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Keeps identity's copy of the fleet equal to {@code fleet.clusters.v1} and recomputes a cluster's bundle when it
 * joins, leaves, or changes what grants select on, and forgets its observed RBAC when it leaves (labels, cloud, region, environment). Snapshots older than the
 * stored revision are ignored, so redelivery and replay converge to the same state.
 */
@ApplicationScoped
public class FleetMembership {

    private static final Logger LOG = Logger.getLogger(FleetMembership.class);

    private final Mutiny.SessionFactory sessions;
    private final BundleDeclarations bundles;
    private final ObservedRbacStore observed;
    private final Clock clock;

    FleetMembership(
            Mutiny.SessionFactory sessions, BundleDeclarations bundles, ObservedRbacStore observed, Clock clock) {
        this.sessions = sessions;
        this.bundles = bundles;
        this.observed = observed;
        this.clock = clock;
    }

    /** A cluster's latest snapshot. */
    public Uni<Void> observed(ClusterSnapshot snapshot) {
        return sessions.withTransaction(session -> session.find(FleetClusterEntity.class, snapshot.clusterId())
                .chain(row -> {
                    if (row != null && snapshot.revision() < row.revision) {
                        return Uni.createFrom().voidItem();
                    }
                    String cloud =
                            snapshot.cloud() == null ? null : snapshot.cloud().wireName();
                    boolean relevant = row == null
                            || !Objects.equals(row.cloud, cloud)
                            || !Objects.equals(row.region, snapshot.region())
                            || !Objects.equals(row.environment, snapshot.environment())
                            || !Objects.equals(row.labels, snapshot.labels());
                    FleetClusterEntity cluster = row == null ? new FleetClusterEntity() : row;
                    cluster.id = snapshot.clusterId();
                    cluster.cloud = cloud;
                    cluster.region = snapshot.region();
                    cluster.environment = snapshot.environment();
                    cluster.labels = new HashMap<>(snapshot.labels());
                    cluster.revision = snapshot.revision();
                    cluster.updatedAt = OffsetDateTime.now(clock);
                    Uni<Void> write = row == null
                            ? session.persist(cluster)
                            : Uni.createFrom().voidItem();
                    if (!relevant) {
                        return write;
                    }
                    if (row == null) {
                        LOG.infof("cluster %s joined the fleet (%s, %s)", cluster.id, cloud, snapshot.environment());
                    }
                    return write.call(session::flush)
                            .chain(() -> bundles.converge(session, Set.of(cluster.id)))
                            .replaceWithVoid();
                }));
    }

    /** A cluster left the fleet: its bundle is withdrawn. */
    public Uni<Void> removed(String clusterId) {
        return sessions.withTransaction(session -> session.find(FleetClusterEntity.class, clusterId)
                .chain(row -> {
                    Uni<Void> delete = row == null ? Uni.createFrom().voidItem() : session.remove(row);
                    return delete.call(session::flush)
                            .chain(() -> observed.forgetCluster(session, clusterId))
                            .chain(() -> bundles.converge(session, Set.of(clusterId)))
                            .invoke(n -> {
                                if (row != null) {
                                    LOG.infof("cluster %s left the fleet", clusterId);
                                }
                            })
                            .replaceWithVoid();
                }));
    }
}
