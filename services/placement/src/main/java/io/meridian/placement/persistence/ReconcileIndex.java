package io.meridian.placement.persistence;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Which workloads the reconciler looks at: every one placement holds anything of (a live declaration, a decision,
 * progress, a cluster's bundle, an operator's command), and those a cluster's bundle carries. Names only, so that a
 * periodic resync reads no declaration it does not need.
 */
@ApplicationScoped
public class ReconcileIndex {

    /** Every workload with something to converge: live ones, and deleted ones not yet withdrawn everywhere. */
    public Uni<List<String>> workloads(Mutiny.Session s) {
        return s.createNativeQuery(
                        "SELECT name FROM workload WHERE deleted_at IS NULL"
                                + " UNION SELECT workload FROM placement_decision"
                                + " UNION SELECT workload FROM workload_progress"
                                + " UNION SELECT workload FROM workload_cluster"
                                + " UNION SELECT workload FROM workload_command",
                        String.class)
                .getResultList();
    }

    /** The workloads the last bundle declared to a cluster carries, by name. */
    public Uni<List<String>> on(Mutiny.Session s, String clusterId) {
        return s.createNativeQuery(
                        "SELECT workload FROM workload_cluster WHERE cluster_id = :cluster ORDER BY workload",
                        String.class)
                .setParameter("cluster", clusterId)
                .getResultList();
    }
}
