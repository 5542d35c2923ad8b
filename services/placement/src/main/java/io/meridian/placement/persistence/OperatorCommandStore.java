package io.meridian.placement.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * What operators asked of a workload's rollout and failover, kept until a reconcile acts on it: the API writes a
 * command in its transaction, the reconcile reads it locked and writes back what is still pending, so a command sent
 * while a reconcile runs is never lost.
 */
@ApplicationScoped
public class OperatorCommandStore {

    /**
     * The commands pending for one workload.
     *
     * @param resume retry a halted rollout's wave; one reconcile consumes it
     * @param failoverApproved let a suppressed failover go ahead
     * @param failback the displaced clusters an operator released for a manual failback
     */
    public record Pending(boolean resume, boolean failoverApproved, Set<String> failback) {

        public static final Pending NONE = new Pending(false, false, Set.of());

        public Pending {
            failback = failback == null ? Set.of() : Set.copyOf(failback);
        }
    }

    private static final TypeReference<List<String>> CLUSTER_IDS = new TypeReference<>() {};

    private final Clock clock;

    OperatorCommandStore(Clock clock) {
        this.clock = clock;
    }

    /** The pending commands of a workload, locked until the caller's transaction ends. */
    public Uni<Pending> lock(Mutiny.Session s, String workload) {
        return s.createNativeQuery(
                        "SELECT resume, failover_approved, failback_clusters FROM workload_command"
                                + " WHERE workload = :w FOR UPDATE",
                        Object[].class)
                .setParameter("w", workload)
                .getResultList()
                .map(rows -> rows.isEmpty() ? Pending.NONE : pending(rows.getFirst()));
    }

    /** Replaces what is pending for a workload with what a reconcile left of it; nothing pending removes the row. */
    public Uni<Void> save(Mutiny.Session s, String workload, Pending pending) {
        if (pending.equals(Pending.NONE)) {
            return forget(s, workload);
        }
        return s.createNativeQuery("UPDATE workload_command SET resume = :r, failover_approved = :f,"
                        + " failback_clusters = :b WHERE workload = :w")
                .setParameter("w", workload)
                .setParameter("r", pending.resume())
                .setParameter("f", pending.failoverApproved())
                .setParameter("b", WorkloadJson.write(new TreeSet<>(pending.failback())))
                .executeUpdate()
                .replaceWithVoid();
    }

    /** An operator asked a halted rollout to resume. */
    public Uni<Void> requestResume(Mutiny.Session s, String workload, String actor) {
        return upsert(s, workload, actor, "resume = true", true, false, Set.of());
    }

    /** An operator let a suppressed failover go ahead. */
    public Uni<Void> approveFailover(Mutiny.Session s, String workload, String actor) {
        return upsert(s, workload, actor, "failover_approved = true", false, true, Set.of());
    }

    /** An operator released displaced clusters for a manual failback (added to any released before). */
    public Uni<Void> approveFailback(Mutiny.Session s, String workload, Set<String> clusters, String actor) {
        return lock(s, workload).chain(current -> {
            TreeSet<String> all = new TreeSet<>(current.failback());
            all.addAll(clusters);
            return upsert(s, workload, actor, "failback_clusters = EXCLUDED.failback_clusters", false, false, all);
        });
    }

    /** Forgets what was pending for a workload (it was deleted, or nothing is left). */
    public Uni<Void> forget(Mutiny.Session s, String workload) {
        return s.createNativeQuery("DELETE FROM workload_command WHERE workload = :w")
                .setParameter("w", workload)
                .executeUpdate()
                .replaceWithVoid();
    }

    private Uni<Void> upsert(
            Mutiny.Session s,
            String workload,
            String actor,
            String update,
            boolean resume,
            boolean failover,
            Set<String> failback) {
        return s.createNativeQuery("INSERT INTO workload_command (workload, resume, failover_approved,"
                        + " failback_clusters, requested_at, requested_by) VALUES (:w, :r, :f, :b, :at, :by)"
                        + " ON CONFLICT (workload) DO UPDATE SET " + update
                        + ", requested_at = EXCLUDED.requested_at, requested_by = EXCLUDED.requested_by")
                .setParameter("w", workload)
                .setParameter("r", resume)
                .setParameter("f", failover)
                .setParameter("b", WorkloadJson.write(new TreeSet<>(failback)))
                .setParameter("at", OffsetDateTime.now(clock))
                .setParameter("by", actor)
                .executeUpdate()
                .replaceWithVoid();
    }

    private static Pending pending(Object[] row) {
        List<String> failback;
        try {
            failback = WorkloadJson.JSON.readValue((String) row[2], CLUSTER_IDS);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the failback clusters of a workload command cannot be read", e);
        }
        return new Pending((Boolean) row[0], (Boolean) row[1], Set.copyOf(failback));
    }
}
