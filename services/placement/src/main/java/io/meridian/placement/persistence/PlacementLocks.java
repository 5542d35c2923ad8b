package io.meridian.placement.persistence;

import io.meridian.eventing.sql.MultiRowValues;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Transaction-scoped PostgreSQL advisory locks that serialise placement's reconciles across replicas: one reconcile
 * per workload at a time, and one writer of a cluster's bundle at a time, which must read every other workload's
 * assignment there only once it holds the lock, so that the last one to commit declares what all of them decided.
 */
@ApplicationScoped
public class PlacementLocks {

    // Namespaces for hashtext(), so that a workload and a cluster of the same name take different locks.
    private static final String WORKLOAD = "placement/workload/";
    private static final String CLUSTER = "placement/cluster/";

    /** Waits for and takes the lock of one workload until the transaction ends; works for a deleted one too. */
    public Uni<Void> workload(Mutiny.Session s, String name) {
        return lock(s, WORKLOAD + name);
    }

    /**
     * Waits for and takes the locks of the clusters' bundles until the transaction ends, in sorted order, so that two
     * reconciles sharing clusters never wait for each other in a circle. One statement for all of them: a workload
     * placed on 100 clusters took 100 round trips here. Its VALUES are scanned, and each lock taken, in the order
     * they are listed.
     */
    public Uni<Void> clusters(Mutiny.Session s, Collection<String> clusterIds) {
        List<String> keys =
                Slices.sorted(clusterIds).stream().map(id -> CLUSTER + id).toList();
        return Slices.each(keys, slice -> {
            var query = s.createNativeQuery(
                    "SELECT count(pg_advisory_xact_lock(hashtext(k))) FROM (VALUES "
                            + MultiRowValues.of("(CAST(:key# AS TEXT))", slice.size())
                            + ") AS v(k)",
                    Long.class);
            Slices.bind(query::setParameter, "key", slice);
            return query.getSingleResult();
        });
    }

    private static Uni<Void> lock(Mutiny.Session s, String key) {
        return s.createNativeQuery(
                        "SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext(:key))) AS locked", Integer.class)
                .setParameter("key", key)
                .getSingleResult()
                .replaceWithVoid();
    }
}
