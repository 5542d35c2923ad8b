package io.meridian.identity.reconcile;

import io.meridian.contracts.EventType;
import io.meridian.contracts.access.AccessEvent;
import io.meridian.contracts.access.AccessSubject;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.eventing.audit.AuditTrail;
import io.meridian.eventing.outbox.Outbox;
import io.meridian.identity.domain.Grant;
import io.meridian.identity.domain.GrantState;
import io.meridian.identity.domain.GuardRails;
import io.meridian.identity.persistence.FleetClusterEntity;
import io.meridian.identity.persistence.GrantEntity;
import io.meridian.servicekit.Problem;
import io.meridian.servicekit.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Every change of a grant's state, each one transaction holding the row, the access event on {@code
 * fleet.access.v1}, the audit record and the recomputed bundles of every cluster, so none exists without the others.
 */
@ApplicationScoped
public class GrantLifecycle {

    private static final Logger LOG = Logger.getLogger(GrantLifecycle.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Mutiny.SessionFactory sessions;
    private final Outbox outbox;
    private final AuditTrail audit;
    private final BundleDeclarations bundles;
    private final Clock clock;
    private final Counter expired;

    GrantLifecycle(
            Mutiny.SessionFactory sessions,
            Outbox outbox,
            AuditTrail audit,
            BundleDeclarations bundles,
            Clock clock,
            MeterRegistry registry) {
        this.sessions = sessions;
        this.outbox = outbox;
        this.audit = audit;
        this.bundles = bundles;
        this.clock = clock;
        this.expired = Counter.builder("meridian.identity.grants.expired")
                .description("Grants revoked everywhere because their expiry passed")
                .register(registry);
    }

    /** A new grant id: time-ordered, DNS-1123 valid, so binding names derived from it are too. */
    public static String newId(Instant now) {
        StringBuilder random = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            random.append(Character.forDigit(RANDOM.nextInt(36), 36));
        }
        String time = Long.toString(now.toEpochMilli(), 36).toLowerCase(Locale.ROOT);
        return "g" + "0".repeat(Math.max(0, 9 - time.length())) + time + random;
    }

    /**
     * Creates a grant: Pending when the guard rails want a second fleet-admin (decided here, against the fleet as it
     * is in this transaction), otherwise Active and on its way to the clusters.
     */
    public Uni<Grant> create(Grant requested) {
        return sessions.withTransaction(session -> session.createQuery(
                        "from FleetClusterEntity", FleetClusterEntity.class)
                .getResultList()
                .chain(clusters -> {
                    boolean approval = GuardRails.needsApproval(
                            requested.role(),
                            requested.scope(),
                            clusters.stream().map(FleetClusterEntity::toDomain).toList());
                    Grant grant = new Grant(
                            requested.id(),
                            requested.subject(),
                            requested.role(),
                            requested.scope(),
                            requested.namespaces(),
                            requested.expiresAt(),
                            requested.reason(),
                            approval ? GrantState.Pending : GrantState.Active,
                            approval,
                            requested.createdBy(),
                            requested.createdAt(),
                            null,
                            null,
                            null,
                            null);
                    return session.persist(GrantEntity.of(grant))
                            .call(session::flush)
                            .chain(() -> event(session, EventType.GRANT_REQUESTED, grant, grant.createdBy()))
                            .chain(() -> record(session, "grant.requested", grant, details(grant)))
                            .chain(() -> grant.state() == GrantState.Active
                                    ? bundles.convergeAll(session)
                                    : Uni.createFrom().item(0))
                            .invoke(n -> LOG.infof(
                                    "grant %s: %s %s as %s (%s), %d bundles declared",
                                    grant.id(),
                                    grant.subject().kind().wireName(),
                                    grant.subject().name(),
                                    grant.role(),
                                    grant.state(),
                                    n))
                            .replaceWith(grant);
                }));
    }

    /** A second fleet-admin approves a Pending grant; the creator cannot. */
    public Uni<Grant> approve(String id, String approver) {
        return sessions.withTransaction(session -> find(session, id).chain(row -> {
            Grant grant = row.toDomain();
            if (grant.state() != GrantState.Pending) {
                throw ProblemException.conflict(
                        "Grant " + id + " is " + grant.state() + "; only a Pending grant can be approved");
            }
            if (approver.equals(grant.createdBy())) {
                throw new ProblemException(Problem.of(
                        403,
                        "Forbidden",
                        "The creator of grant " + id + " cannot approve it; a second fleet-admin must."));
            }
            Instant now = clock.instant();
            if (grant.expiredAt(now)) {
                throw ProblemException.conflict("Grant " + id + " expired before it was approved");
            }
            row.state = GrantState.Active.name();
            row.approvedBy = approver;
            row.approvedAt = now.atOffset(ZoneOffset.UTC);
            Grant approved = row.toDomain();
            return session.flush()
                    .chain(() -> event(session, EventType.GRANT_APPROVED, approved, approver))
                    .chain(() -> record(session, "grant.approved", approved, Map.of("createdBy", grant.createdBy())))
                    .chain(() -> bundles.convergeAll(session))
                    .replaceWith(approved);
        }));
    }

    /** Revokes a grant everywhere; revoking an ended grant changes nothing (DELETE is idempotent). */
    public Uni<Grant> revoke(String id, String actor) {
        return sessions.withTransaction(session -> find(session, id).chain(row -> {
            Grant grant = row.toDomain();
            if (grant.state().ended()) {
                return Uni.createFrom().item(grant);
            }
            row.state = GrantState.Revoked.name();
            row.endedBy = actor;
            row.endedAt = OffsetDateTime.now(clock);
            Grant revoked = row.toDomain();
            return session.flush()
                    .chain(() -> event(session, EventType.GRANT_REVOKED, revoked, actor))
                    .chain(() -> record(
                            session,
                            "grant.revoked",
                            revoked,
                            Map.of("was", grant.state().name())))
                    .chain(() -> bundles.convergeAll(session))
                    .replaceWith(revoked);
        }));
    }

    /** Expires every grant whose time is up; returns how many. Runs on a schedule ({@link GrantExpiry}). */
    public Uni<Integer> expireDue() {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return sessions.withTransaction(session -> session.createQuery(
                        "from GrantEntity where state in ('Active', 'Pending') and expiresAt <= :now order by id",
                        GrantEntity.class)
                .setParameter("now", now)
                .getResultList()
                .chain(due -> {
                    if (due.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (GrantEntity row : due) {
                        String was = row.state;
                        row.state = GrantState.Expired.name();
                        row.endedBy = audit.serviceActor().name();
                        row.endedAt = now;
                        Grant grant = row.toDomain();
                        chain = chain.chain(() -> event(session, EventType.GRANT_EXPIRED, grant, grant.endedBy()))
                                .chain(() -> audit.recordAs(
                                        session,
                                        audit.serviceActor(),
                                        "grant.expired",
                                        target(grant),
                                        AuditRecord.Outcome.success,
                                        Map.of("was", was, "expiresAt", String.valueOf(grant.expiresAt()))))
                                .replaceWithVoid();
                    }
                    return chain.call(session::flush)
                            .chain(() -> bundles.convergeAll(session))
                            .invoke(() -> {
                                expired.increment(due.size());
                                LOG.infof(
                                        "expired %d grants: %s",
                                        due.size(), due.stream().map(g -> g.id).toList());
                            })
                            .replaceWith(due.size());
                }));
    }

    /** Records that a grant's RBAC is in place on every cluster it reaches (from sync reports). */
    public Uni<Void> applied(Mutiny.Session session, GrantEntity row, int clusters) {
        row.appliedAt = OffsetDateTime.now(clock);
        Grant grant = row.toDomain();
        return event(
                        session,
                        EventType.GRANT_APPLIED,
                        grant,
                        audit.serviceActor().name())
                .chain(() -> audit.recordAs(
                        session,
                        audit.serviceActor(),
                        "grant.applied",
                        target(grant),
                        AuditRecord.Outcome.success,
                        Map.of("clusters", String.valueOf(clusters))))
                .replaceWithVoid();
    }

    private static Uni<GrantEntity> find(Mutiny.Session session, String id) {
        return session.find(GrantEntity.class, id).map(row -> {
            if (row == null) {
                throw ProblemException.notFound("Grant '" + id + "'");
            }
            return row;
        });
    }

    private Uni<Void> event(Mutiny.Session session, EventType type, Grant grant, String actor) {
        AccessEvent event = new AccessEvent(
                grant.id(),
                new AccessSubject(
                        grant.subject().kind() == io.meridian.identity.domain.Subject.Kind.GROUP
                                ? AccessSubject.Kind.GROUP
                                : AccessSubject.Kind.USER,
                        grant.subject().name()),
                grant.role(),
                grant.scope().asSelector(),
                grant.namespaces(),
                grant.expiresAt(),
                actor,
                grant.reason(),
                clock.instant());
        return outbox.append(session, type, event.key(), grant.id(), event).replaceWithVoid();
    }

    private Uni<Void> record(Mutiny.Session session, String action, Grant grant, Map<String, String> details) {
        return audit.record(session, action, target(grant), AuditRecord.Outcome.success, details)
                .replaceWithVoid();
    }

    private static AuditRecord.Target target(Grant grant) {
        return new AuditRecord.Target("Grant", grant.id(), null);
    }

    private static Map<String, String> details(Grant grant) {
        Map<String, String> details = new HashMap<>();
        details.put("subject", grant.subject().key());
        details.put("role", grant.role());
        details.put("state", grant.state().name());
        details.put("selector", grant.scope().asSelector().toString());
        if (!grant.namespaces().isEmpty()) {
            details.put("namespaces", String.join(",", grant.namespaces()));
        }
        if (grant.expiresAt() != null) {
            details.put("expiresAt", grant.expiresAt().toString());
        }
        return details;
    }
}
