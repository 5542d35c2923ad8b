package io.meridian.placement.persistence;

import io.meridian.eventing.sql.MultiRowValues;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Which workloads the reconciler looks at: every one placement holds anything of (a live declaration, a decision,
 * progress, a cluster's bundle, an operator's command), and those a cluster's bundle carries. Names only, so that a
 * periodic resync reads no declaration it does not need.
 */
@ApplicationScoped
public class ReconcileIndex {

    private static final int CLUSTERS_PER_STATEMENT = 1000;

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
        List<String> clusters = List.copyOf(new TreeSet<>(clusterIds));
        Map<String, List<String>> carried = new HashMap<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int from = 0; from < clusters.size(); from += CLUSTERS_PER_STATEMENT) {
            List<String> slice = clusters.subList(from, Math.min(clusters.size(), from + CLUSTERS_PER_STATEMENT));
            chain = chain.chain(() -> {
                var query = s.createNativeQuery(
                        "SELECT cluster_id, workload FROM workload_cluster WHERE cluster_id IN ("
                                + MultiRowValues.of(":cluster#", slice.size())
                                + ") ORDER BY cluster_id, workload",
                        Object[].class);
                for (int i = 0; i < slice.size(); i++) {
                    query.setParameter("cluster" + i, slice.get(i));
                }
                return query.getResultList()
                        .invoke(rows -> {
                            for (Object[] row : rows) {
                                carried.computeIfAbsent((String) row[0], c -> new ArrayList<>())
                                        .add((String) row[1]);
                            }
                        })
                        .replaceWithVoid();
            });
        }
        return chain.replaceWith(carried);
    }
}
