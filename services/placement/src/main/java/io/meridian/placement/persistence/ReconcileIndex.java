package io.meridian.placement.persistence;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * The workloads the last bundle declared to each of the clusters carries, by name; a cluster whose bundle carries
     * none is absent. One statement for all of them.
     */
    public Uni<Map<String, List<String>>> on(Mutiny.Session s, Collection<String> clusterIds) {
        // Made per subscription: a Uni run again starts from nothing.
        return Uni.createFrom().deferred(() -> {
            Map<String, List<String>> carried = new HashMap<>();
            return Slices.each(Slices.sorted(clusterIds), slice -> {
                        var query = s.createNativeQuery(
                                "SELECT cluster_id, workload FROM workload_cluster WHERE cluster_id IN ("
                                        + Slices.parameters("cluster", slice.size())
                                        + ") ORDER BY cluster_id, workload",
                                Object[].class);
                        Slices.bind(query::setParameter, "cluster", slice);
                        return query.getResultList().invoke(rows -> {
                            for (Object[] row : rows) {
                                carried.computeIfAbsent((String) row[0], c -> new ArrayList<>())
                                        .add((String) row[1]);
                            }
                        });
                    })
                    .replaceWith(carried);
        });
    }
}
