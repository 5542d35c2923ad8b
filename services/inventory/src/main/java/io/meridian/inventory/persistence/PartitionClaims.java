package io.meridian.inventory.persistence;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The fencing tokens of cluster writes: per {@code fleet.clusters.v1} partition, which replica holds it and since
 * which epoch. Kafka decides who owns a partition; this table is how a replica that lost one without noticing (a long
 * pause, a network cut from the broker) learns it before its next write is recorded, rather than after.
 */
@ApplicationScoped
public class PartitionClaims {

    /** A replica's claim on one partition: valid while the table still names this replica at this epoch. */
    public record Claim(int partition, long epoch) {}

    /** Thrown when a write's claim is no longer the current one: another replica took the partition over. */
    public static final class Fenced extends IllegalStateException {
        Fenced(Map<Integer, String> lost) {
            super("another inventory replica claimed partitions of fleet.clusters.v1: " + lost);
        }
    }

    private final Mutiny.SessionFactory sessions;
    private final Clock clock;
    private final String holder;
    private final Duration deadAfter;

    PartitionClaims(
            Mutiny.SessionFactory sessions,
            Clock clock,
            @ConfigProperty(name = "quarkus.uuid") String instance,
            @ConfigProperty(name = "HOSTNAME", defaultValue = "inventory") String host,
            @ConfigProperty(name = "meridian.inventory.connections.replica-dead-after", defaultValue = "30s")
                    Duration deadAfter) {
        this.sessions = sessions;
        this.clock = clock;
        this.holder = host + "/" + instance;
        this.deadAfter = deadAfter;
    }

    /** This replica's name in the table: the host and an id unique to this process. */
    public String holder() {
        return holder;
    }

    /** Takes the partitions over, whoever held them: Kafka has just assigned them to this replica. */
    public Uni<Map<Integer, Long>> claim(Collection<Integer> partitions) {
        return claimAll(partitions, false);
    }

    /**
     * Claims those of the partitions that nobody holds (their holder released them), that a replica holds which has
     * shown no sign of life for {@code replica-dead-after} (killed, or paused long past losing them), or that this
     * replica holds itself; never one a live replica holds. The epochs of those claimed.
     */
    public Uni<Map<Integer, Long>> claimIfFree(Collection<Integer> partitions) {
        return claimAll(partitions, true);
    }

    private Uni<Map<Integer, Long>> claimAll(Collection<Integer> partitions, boolean onlyIfFree) {
        return sessions.withTransaction(session -> {
            Uni<Map<Integer, Long>> chain = heartbeat(session).replaceWith(new HashMap<>());
            for (int partition : new TreeSet<>(partitions)) {
                chain = chain.chain(epochs -> claimOne(session, partition, onlyIfFree)
                        .map(epoch -> {
                            epoch.ifPresent(e -> epochs.put(partition, e));
                            return epochs;
                        }));
            }
            return chain;
        });
    }

    /** Says this replica is alive (database time, so that no two replicas' clocks are compared). */
    public Uni<Void> heartbeat() {
        return sessions.withTransaction(this::heartbeat);
    }

    private Uni<Void> heartbeat(Mutiny.Session session) {
        return session.createNativeQuery("INSERT INTO inventory_replica (holder, seen_at) VALUES (:holder,"
                        + " clock_timestamp()) ON CONFLICT (holder) DO UPDATE SET seen_at = EXCLUDED.seen_at")
                .setParameter("holder", holder)
                .executeUpdate()
                .replaceWithVoid();
    }

    // The epoch only ever goes up, also across a release, so an old claim of this very replica never becomes valid
    // again when it claims the partition anew.
    private Uni<OptionalLong> claimOne(Mutiny.Session session, int partition, boolean onlyIfFree) {
        var query = session.createNativeQuery(
                        "INSERT INTO cluster_partition_claim (partition_no, epoch, holder, claimed_at)"
                                + " VALUES (:partition, 1, :holder, :now) ON CONFLICT (partition_no) DO UPDATE"
                                + " SET epoch = cluster_partition_claim.epoch + 1, holder = EXCLUDED.holder,"
                                + " claimed_at = EXCLUDED.claimed_at"
                                + (onlyIfFree
                                        ? " WHERE cluster_partition_claim.holder IS NULL"
                                                + " OR cluster_partition_claim.holder = EXCLUDED.holder"
                                                + " OR NOT EXISTS (SELECT 1 FROM inventory_replica r"
                                                + " WHERE r.holder = cluster_partition_claim.holder"
                                                + " AND r.seen_at > clock_timestamp() - make_interval(secs => :dead))"
                                        : "")
                                + " RETURNING epoch",
                        Long.class)
                .setParameter("partition", partition)
                .setParameter("holder", holder)
                .setParameter("now", OffsetDateTime.now(clock));
        if (onlyIfFree) {
            query.setParameter("dead", (double) deadAfter.toMillis() / 1000);
        }
        return query.getResultList()
                .map(rows -> rows.isEmpty() ? OptionalLong.empty() : OptionalLong.of(rows.getFirst()));
    }

    /** Gives up this replica's claims on the partitions (they were revoked); another replica's claims stay. */
    public Uni<Void> release(Collection<Integer> partitions) {
        if (partitions.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Integer> list = List.copyOf(partitions);
        return sessions.withTransaction(session -> {
                    var query = session.createNativeQuery("UPDATE cluster_partition_claim SET holder = NULL,"
                                    + " claimed_at = :now WHERE holder = :holder AND partition_no IN ("
                                    + placeholders(list.size()) + ")")
                            .setParameter("holder", holder)
                            .setParameter("now", OffsetDateTime.now(clock));
                    for (int i = 0; i < list.size(); i++) {
                        query.setParameter("p" + i, list.get(i));
                    }
                    return query.executeUpdate();
                })
                .replaceWithVoid();
    }

    /**
     * Fails with {@link Fenced} unless every claim is still this replica's at its epoch; holds the claims (FOR SHARE)
     * until the caller's transaction ends, so a takeover waits for the write being recorded, and no write recorded
     * after a takeover passes.
     */
    public Uni<Void> check(Mutiny.Session session, Collection<Claim> claims) {
        // Every claim is checked, not one per partition: a batch recorded across a reassignment can hold writes made
        // under an old and a new epoch of the same partition, and the old one must fence the batch.
        var wanted =
                new TreeSet<Claim>(Comparator.comparingInt(Claim::partition).thenComparingLong(Claim::epoch));
        wanted.addAll(claims);
        if (wanted.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Integer> partitions =
                wanted.stream().map(Claim::partition).distinct().toList();
        var query = session.createNativeQuery(
                "SELECT partition_no, epoch, holder FROM cluster_partition_claim WHERE partition_no IN ("
                        + placeholders(partitions.size()) + ") ORDER BY partition_no FOR SHARE",
                Object[].class);
        for (int i = 0; i < partitions.size(); i++) {
            query.setParameter("p" + i, partitions.get(i));
        }
        return query.getResultList().map(rows -> {
            Map<Integer, String> held = new HashMap<>();
            rows.forEach(r -> held.put(((Number) r[0]).intValue(), r[2] + "@" + ((Number) r[1]).longValue()));
            Map<Integer, String> lost = new TreeMap<>();
            for (Claim claim : wanted) {
                String now = held.get(claim.partition());
                if (!(holder + "@" + claim.epoch()).equals(now)) {
                    lost.putIfAbsent(
                            claim.partition(),
                            "epoch " + claim.epoch() + " here, " + (now == null ? "no claim" : now) + " now");
                }
            }
            if (!lost.isEmpty()) {
                throw new Fenced(lost);
            }
            return null;
        });
    }

    private static String placeholders(int count) {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sql.append(i == 0 ? ":p" : ", :p").append(i);
        }
        return sql.toString();
    }
}
