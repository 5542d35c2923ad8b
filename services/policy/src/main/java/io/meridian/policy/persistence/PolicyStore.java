package io.meridian.policy.persistence;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.eventing.audit.AuditTrail;
import io.meridian.policy.domain.EnsureKinds;
import io.meridian.policy.domain.PolicyDefinition;
import io.meridian.servicekit.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.hibernate.reactive.mutiny.Mutiny;

/** The policy catalog: every change is one transaction with its audit record on {@code fleet.audit.policy.v1}. */
@ApplicationScoped
public class PolicyStore {

    /** A stored policy with its generation and bookkeeping. */
    public record StoredPolicy(
            PolicyDefinition definition,
            long generation,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt,
            String updatedBy) {}

    static final ObjectMapper JSON = JsonMapper.builder()
            .findAndAddModules()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .build();

    private static final String SELECT =
            "SELECT name, generation, definition, created_at, updated_at, updated_by FROM policy";

    private final Mutiny.SessionFactory sessions;
    private final AuditTrail audit;
    private final Clock clock;

    PolicyStore(Mutiny.SessionFactory sessions, AuditTrail audit, Clock clock) {
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
    }

    public Uni<List<StoredPolicy>> list() {
        return sessions.withSession(s -> s.createNativeQuery(SELECT + " ORDER BY name", Object[].class)
                        .getResultList())
                .map(rows -> rows.stream().map(PolicyStore::row).toList());
    }

    public Uni<StoredPolicy> get(String name) {
        return sessions.withSession(s -> s.createNativeQuery(SELECT + " WHERE name = :name", Object[].class)
                        .setParameter("name", name)
                        .getResultList())
                .map(rows -> {
                    if (rows.isEmpty()) {
                        throw ProblemException.notFound("policy '" + name + "'");
                    }
                    return row(rows.getFirst());
                });
    }

    /** Creates a policy; 409 when the name is taken. */
    public Uni<StoredPolicy> create(PolicyDefinition def, String actor) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return sessions.withTransaction(s -> s.createNativeQuery(
                                "INSERT INTO policy (name, generation, definition, created_at, updated_at, updated_by)"
                                        + " VALUES (:name, nextval('policy_generation_seq'), :def, :now, :now, :by)"
                                        + " ON CONFLICT (name) DO NOTHING")
                        .setParameter("name", def.name())
                        .setParameter("def", write(def))
                        .setParameter("now", now)
                        .setParameter("by", actor)
                        .executeUpdate()
                        .invoke(inserted -> {
                            if (inserted == 0) {
                                throw ProblemException.conflict("policy '" + def.name() + "' already exists");
                            }
                        })
                        .chain(() -> fetch(s, def.name()))
                        .call(stored -> record(s, "policy.created", stored)))
                .map(stored -> stored);
    }

    /** Replaces a policy's definition; the generation increases. 404 when it does not exist. */
    public Uni<StoredPolicy> replace(PolicyDefinition def, String actor) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return sessions.withTransaction(s -> s.createNativeQuery(
                        "UPDATE policy SET generation = nextval('policy_generation_seq'), definition = :def,"
                                + " updated_at = :now, updated_by = :by WHERE name = :name")
                .setParameter("name", def.name())
                .setParameter("def", write(def))
                .setParameter("now", now)
                .setParameter("by", actor)
                .executeUpdate()
                .invoke(updated -> {
                    if (updated == 0) {
                        throw ProblemException.notFound("policy '" + def.name() + "'");
                    }
                })
                .chain(() -> fetch(s, def.name()))
                .call(stored -> record(s, "policy.updated", stored)));
    }

    /** Deletes a policy; 404 when it does not exist. Its waivers go with it. */
    public Uni<StoredPolicy> delete(String name) {
        return sessions.withTransaction(s -> fetchOrNull(s, name).chain(stored -> {
            if (stored == null) {
                return Uni.createFrom().failure(ProblemException.notFound("policy '" + name + "'"));
            }
            return s.createNativeQuery("DELETE FROM policy WHERE name = :name")
                    .setParameter("name", name)
                    .executeUpdate()
                    .chain(() -> s.createNativeQuery("DELETE FROM waiver WHERE policy = :name")
                            .setParameter("name", name)
                            .executeUpdate())
                    .chain(() -> record(s, "policy.deleted", stored))
                    .replaceWith(stored);
        }));
    }

    private Uni<StoredPolicy> fetch(Mutiny.Session s, String name) {
        return fetchOrNull(s, name);
    }

    private Uni<StoredPolicy> fetchOrNull(Mutiny.Session s, String name) {
        return s.createNativeQuery(SELECT + " WHERE name = :name", Object[].class)
                .setParameter("name", name)
                .getResultList()
                .map(rows -> rows.isEmpty() ? null : row(rows.getFirst()));
    }

    private Uni<AuditRecord> record(Mutiny.Session s, String action, StoredPolicy stored) {
        PolicyDefinition def = stored.definition();
        Map<String, String> details = new java.util.HashMap<>();
        details.put("generation", Long.toString(stored.generation()));
        details.put("action", def.action().name().toLowerCase(java.util.Locale.ROOT));
        details.put("severity", def.severity().name().toLowerCase(java.util.Locale.ROOT));
        // Ensure objects beyond the operator allow-list are a fleet-admin's privilege: the record says which.
        List<String> privileged = EnsureKinds.beyondOperators(def).stream()
                .map(EnsureKinds.Finding::describe)
                .distinct()
                .toList();
        details.put("privileged", Boolean.toString(!privileged.isEmpty()));
        if (!privileged.isEmpty()) {
            details.put("privilegedKinds", String.join(",", privileged));
        }
        return audit.record(
                s, action, new AuditRecord.Target("Policy", def.name(), null), AuditRecord.Outcome.success, details);
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    private static StoredPolicy row(Object[] r) {
        try {
            PolicyDefinition def = JSON.readValue((String) r[2], PolicyDefinition.class);
            return new StoredPolicy(def, ((Number) r[1]).longValue(), toOffset(r[3]), toOffset(r[4]), (String) r[5]);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored policy '" + r[0] + "' cannot be read", e);
        }
    }

    static OffsetDateTime toOffset(Object value) {
        return switch (value) {
            case null -> null;
            case OffsetDateTime o -> o;
            case java.time.Instant i -> i.atOffset(java.time.ZoneOffset.UTC);
            case java.time.LocalDateTime l -> l.atOffset(java.time.ZoneOffset.UTC);
            case java.sql.Timestamp t -> t.toInstant().atOffset(java.time.ZoneOffset.UTC);
            default -> throw new IllegalStateException("unexpected timestamp type " + value.getClass());
        };
    }
}
