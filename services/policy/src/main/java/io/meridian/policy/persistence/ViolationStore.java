package io.meridian.policy.persistence;

import io.meridian.contracts.EventType;
import io.meridian.contracts.ObjectRef;
import io.meridian.contracts.compliance.ComplianceResult;
import io.meridian.eventing.outbox.Outbox;
import io.meridian.policy.domain.FleetCompliance;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Open violations, the compliance read model. A transition is recorded together with its event in one
 * transaction; a row that is already there (or already gone) means another replica or an earlier delivery
 * recorded it, and no second event goes out.
 */
@ApplicationScoped
public class ViolationStore {

    /** Filters of the violations API; {@code null} means any. */
    public record Filter(
            String policy, String clusterId, String namespace, String kind, String severity, String category) {}

    /** One page of violations. */
    public record Page(List<ComplianceResult> items, long total) {}

    private static final String COLUMNS = "policy, cluster_id, object_key, api_group, api_version, kind, namespace,"
            + " name, severity, action, categories, message, policy_generation, opened_at";

    private final Mutiny.SessionFactory sessions;
    private final Outbox outbox;

    ViolationStore(Mutiny.SessionFactory sessions, Outbox outbox) {
        this.sessions = sessions;
        this.outbox = outbox;
    }

    /** Records transitions and their events; returns how many events were written. */
    public Uni<Integer> record(List<FleetCompliance.Transition> transitions) {
        if (transitions.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return sessions.withTransaction(s -> {
            Uni<Integer> chain = Uni.createFrom().item(0);
            for (FleetCompliance.Transition t : transitions) {
                chain = chain.chain(n -> apply(s, t).map(written -> n + written));
            }
            return chain;
        });
    }

    private Uni<Integer> apply(Mutiny.Session s, FleetCompliance.Transition t) {
        ComplianceResult r = t.result();
        String objectKey = r.object().key();
        if (t instanceof FleetCompliance.Opened) {
            return s.createNativeQuery("INSERT INTO violation (" + COLUMNS + ") VALUES (:policy, :cluster, :key,"
                            + " :group, :version, :kind, :ns, :name, :severity, :action, :categories, :message,"
                            + " :generation, :at) ON CONFLICT DO NOTHING")
                    .setParameter("policy", r.policy())
                    .setParameter("cluster", r.clusterId())
                    .setParameter("key", objectKey)
                    .setParameter("group", r.object().group())
                    .setParameter("version", r.object().apiVersion())
                    .setParameter("kind", r.object().kind())
                    .setParameter("ns", r.object().namespace())
                    .setParameter("name", r.object().name())
                    .setParameter("severity", wire(r.severity()))
                    .setParameter("action", wire(r.action()))
                    .setParameter("categories", String.join(",", r.categories()))
                    .setParameter("message", r.message())
                    .setParameter("generation", r.policyGeneration())
                    .setParameter("at", r.evaluatedAt().atOffset(ZoneOffset.UTC))
                    .executeUpdate()
                    .chain(inserted -> inserted == 0
                            ? Uni.createFrom().item(0)
                            : outbox.append(s, EventType.VIOLATION_OPENED, r.key(), r.clusterId(), r)
                                    .replaceWith(1));
        }
        return s.createNativeQuery(
                        "DELETE FROM violation WHERE policy = :policy AND cluster_id = :cluster AND object_key = :key")
                .setParameter("policy", r.policy())
                .setParameter("cluster", r.clusterId())
                .setParameter("key", objectKey)
                .executeUpdate()
                .chain(deleted -> deleted == 0
                        ? Uni.createFrom().item(0)
                        : outbox.append(s, EventType.VIOLATION_CLOSED, r.key(), r.clusterId(), r)
                                .replaceWith(1));
    }

    /** Every open violation, to seed the in-memory state at start. */
    public Uni<List<ComplianceResult>> allOpen() {
        return sessions.withSession(s -> s.createNativeQuery("SELECT " + COLUMNS + " FROM violation", Object[].class)
                        .getResultList())
                .map(rows -> rows.stream().map(ViolationStore::row).toList());
    }

    public Uni<Page> page(Filter filter, int limit, int offset) {
        Map<String, Object> params = new LinkedHashMap<>();
        String where = where(filter, params);
        return sessions.withSession(s -> {
            var count = s.createNativeQuery("SELECT count(*) FROM violation" + where);
            params.forEach(count::setParameter);
            var select = s.createNativeQuery(
                            "SELECT " + COLUMNS + " FROM violation" + where
                                    + " ORDER BY cluster_id, policy, object_key LIMIT :limit OFFSET :offset",
                            Object[].class)
                    .setParameter("limit", limit)
                    .setParameter("offset", offset);
            params.forEach(select::setParameter);
            return count.getSingleResult()
                    .chain(total -> select.getResultList()
                            .map(rows -> new Page(
                                    rows.stream().map(ViolationStore::row).toList(), ((Number) total).longValue())));
        });
    }

    /** Counts of open violations grouped by one dimension: cluster, policy, category or severity. */
    public Uni<Map<String, Long>> countBy(String dimension) {
        String sql = switch (dimension) {
            case "cluster" -> "SELECT cluster_id, count(*) FROM violation GROUP BY 1 ORDER BY 1";
            case "policy" -> "SELECT policy, count(*) FROM violation GROUP BY 1 ORDER BY 1";
            case "severity" -> "SELECT severity, count(*) FROM violation GROUP BY 1 ORDER BY 1";
            case "category" ->
                "SELECT c, count(*) FROM violation, unnest(string_to_array(categories, ','))"
                        + " AS c GROUP BY 1 ORDER BY 1";
            default -> throw new IllegalArgumentException(dimension);
        };
        return sessions.withSession(
                        s -> s.createNativeQuery(sql, Object[].class).getResultList())
                .map(rows -> {
                    Map<String, Long> out = new LinkedHashMap<>();
                    rows.forEach(r -> out.put((String) r[0], ((Number) r[1]).longValue()));
                    return out;
                });
    }

    private static String where(Filter f, Map<String, Object> params) {
        List<String> terms = new ArrayList<>();
        if (f.policy() != null) {
            terms.add("policy = :policy");
            params.put("policy", f.policy());
        }
        if (f.clusterId() != null) {
            terms.add("cluster_id = :cluster");
            params.put("cluster", f.clusterId());
        }
        if (f.namespace() != null) {
            terms.add("namespace = :ns");
            params.put("ns", f.namespace());
        }
        if (f.kind() != null) {
            terms.add("kind = :kind");
            params.put("kind", f.kind());
        }
        if (f.severity() != null) {
            terms.add("severity = :severity");
            params.put("severity", f.severity());
        }
        if (f.category() != null) {
            terms.add("(',' || categories || ',') LIKE :category");
            params.put("category", "%," + f.category() + ",%");
        }
        return terms.isEmpty() ? "" : " WHERE " + String.join(" AND ", terms);
    }

    private static String wire(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static ComplianceResult row(Object[] r) {
        String categories = (String) r[10];
        return new ComplianceResult(
                (String) r[0],
                ((Number) r[12]).longValue(),
                (String) r[1],
                new ObjectRef((String) r[3], (String) r[4], (String) r[5], (String) r[6], (String) r[7]),
                ComplianceResult.State.Open,
                ComplianceResult.Severity.valueOf(((String) r[8]).toUpperCase(Locale.ROOT)),
                categories.isEmpty() ? List.of() : Arrays.asList(categories.split(",")),
                ComplianceResult.Action.valueOf(((String) r[9]).toUpperCase(Locale.ROOT)),
                (String) r[11],
                PolicyStore.toOffset(r[13]).toInstant());
    }
}
