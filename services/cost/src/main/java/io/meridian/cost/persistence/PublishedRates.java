package io.meridian.cost.persistence;

import io.meridian.contracts.EventType;
import io.meridian.contracts.cost.ClusterRatesPublished;
import io.meridian.cost.domain.ClusterRates;
import io.meridian.eventing.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The rates each cluster was last published with on {@code fleet.cost.v1}: a row and its event (or a deletion and its
 * tombstone) commit together, and the write decides, so two replicas never publish one change twice.
 */
@ApplicationScoped
public class PublishedRates {

    /** A cluster's rates as last published, and when. */
    public record Published(ClusterRates rates, Instant publishedAt) {}

    private final Mutiny.SessionFactory sessions;
    private final Outbox outbox;

    PublishedRates(Mutiny.SessionFactory sessions, Outbox outbox) {
        this.sessions = sessions;
        this.outbox = outbox;
    }

    /** Every cluster's last published rates, by cluster id. */
    public Uni<Map<String, Published>> all() {
        return sessions.withSession(session -> session.createNativeQuery(
                                "SELECT cluster_id, currency, cpu_core_hour, memory_gib_hour, gpu_hour, spot_share,"
                                        + " node_count, published_at FROM cluster_rates ORDER BY cluster_id",
                                Object[].class)
                        .getResultList())
                .map(rows -> {
                    Map<String, Published> out = new LinkedHashMap<>();
                    for (Object[] r : rows) {
                        ClusterRates rates = new ClusterRates(
                                (String) r[0],
                                (String) r[1],
                                ((Number) r[2]).doubleValue(),
                                ((Number) r[3]).doubleValue(),
                                ((Number) r[4]).doubleValue(),
                                ((Number) r[5]).doubleValue(),
                                ((Number) r[6]).intValue());
                        out.put(rates.clusterId(), new Published(rates, BudgetStore.instant(r[7])));
                    }
                    return out;
                });
    }

    /**
     * Publishes a cluster's rates unless the same rates were published after {@code republishBefore}; the row is the
     * judge, so a replica that raced another finds the row already written and publishes nothing.
     *
     * @return whether this call published
     */
    public Uni<Boolean> publish(ClusterRates rates, Instant at, Instant republishBefore) {
        ClusterRatesPublished event = rates.published(at);
        return sessions.withTransaction(session -> session.createNativeQuery(
                        "INSERT INTO cluster_rates (cluster_id, currency, cpu_core_hour, memory_gib_hour, gpu_hour,"
                                + " spot_share, node_count, published_at) VALUES (:id, :currency, :cpu, :memory,"
                                + " :gpu, :spot, :nodes, :at) ON CONFLICT (cluster_id) DO UPDATE SET currency ="
                                + " EXCLUDED.currency, cpu_core_hour = EXCLUDED.cpu_core_hour, memory_gib_hour ="
                                + " EXCLUDED.memory_gib_hour, gpu_hour = EXCLUDED.gpu_hour, spot_share ="
                                + " EXCLUDED.spot_share, node_count = EXCLUDED.node_count, published_at ="
                                + " EXCLUDED.published_at WHERE (cluster_rates.currency, cluster_rates.cpu_core_hour,"
                                + " cluster_rates.memory_gib_hour, cluster_rates.gpu_hour, cluster_rates.spot_share,"
                                + " cluster_rates.node_count) IS DISTINCT FROM (EXCLUDED.currency,"
                                + " EXCLUDED.cpu_core_hour, EXCLUDED.memory_gib_hour, EXCLUDED.gpu_hour,"
                                + " EXCLUDED.spot_share, EXCLUDED.node_count) OR cluster_rates.published_at < :before")
                .setParameter("id", rates.clusterId())
                .setParameter("currency", rates.currency())
                .setParameter("cpu", rates.cpuCoreHour())
                .setParameter("memory", rates.memoryGibHour())
                .setParameter("gpu", rates.gpuHour())
                .setParameter("spot", rates.spotShare())
                .setParameter("nodes", rates.nodeCount())
                .setParameter("at", utc(at))
                .setParameter("before", utc(republishBefore))
                .executeUpdate()
                .chain(written -> written == 0
                        ? Uni.createFrom().item(false)
                        : outbox.append(
                                        session,
                                        EventType.CLUSTER_RATES_PUBLISHED,
                                        event.key(),
                                        rates.clusterId(),
                                        event)
                                .replaceWith(true)));
    }

    /**
     * Withdraws a cluster's rates: its row goes, and the tombstone of {@code rates/<clusterId>} tells every reader.
     *
     * @return whether this call withdrew them (false when they were withdrawn already)
     */
    public Uni<Boolean> withdraw(String clusterId) {
        return sessions.withTransaction(session -> session.createNativeQuery(
                        "DELETE FROM cluster_rates WHERE cluster_id = :id")
                .setParameter("id", clusterId)
                .executeUpdate()
                .chain(deleted -> deleted == 0
                        ? Uni.createFrom().item(false)
                        : outbox.appendTombstone(
                                        session,
                                        EventType.CLUSTER_RATES_PUBLISHED,
                                        ClusterRatesPublished.key(clusterId),
                                        clusterId)
                                .replaceWith(true)));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
