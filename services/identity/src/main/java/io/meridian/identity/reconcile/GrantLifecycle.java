package io.meridian.identity.reconcile;

import io.meridian.contracts.EventType;
import io.meridian.contracts.access.AccessEvent;
import io.meridian.contracts.access.AccessSubject;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.eventing.audit.AuditTrail;
import io.meridian.eventing.outbox.Outbox;
import io.meridian.identity.domain.Approver;
import io.meridian.identity.domain.BuiltinRole;
import io.meridian.identity.domain.FieldProblem;
import io.meridian.identity.domain.Grant;
import io.meridian.identity.domain.GrantState;
import io.meridian.identity.domain.GuardRails;
import io.meridian.identity.domain.RoleTemplate;
import io.meridian.identity.persistence.FleetClusterEntity;
import io.meridian.identity.persistence.GrantEntity;
import io.meridian.identity.persistence.RoleTemplateEntity;
import io.meridian.servicekit.Problem;
import io.meridian.servicekit.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
     * Creates a grant: Pending when the guard rails want a second fleet-admin (decided here, against the fleet and the
     * role template as they are in this transaction), otherwise Active and on its way to the clusters. {@code
     * callerIsAdmin} false refuses privileged roles again here, where a concurrent template change cannot slip past.
     */
    public Uni<Grant> create(Grant requested, boolean callerIsAdmin) {
        return sessions.withTransaction(session -> bundles.lock(session)
                .chain(() -> template(session, requested.role()))
                .chain(template -> session.createQuery("from FleetClusterEntity", FleetClusterEntity.class)
                        .getResultList()
                        .chain(clusters -> {
                            if (!callerIsAdmin) {
                                GuardRails.adminOnly(requested.role(), template.orElse(null))
                                        .ifPresent(problem -> {
                                            throw forbidden("Only a fleet-admin may grant this role.", problem);
                                        });
                            }
                            boolean approval = GuardRails.needsApproval(
                                    requested.role(),
                                    template.orElse(null),
                                    requested.scope(),
                                    clusters.stream()
                                            .map(FleetClusterEntity::toDomain)
                                            .toList());
                            return persistNew(session, requested, approval);
                        })));
    }

    private Uni<Grant> persistNew(Mutiny.Session session, Grant requested, boolean approval) {
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
    }

    /**
     * A second fleet-admin approves a Pending grant: not its creator, not its subject (by user name, or as a member of
     * its group), not whoever last changed its role template. The approval binds to the grant's subject, scope,
     * namespaces and its role's content as they are now ({@link Grant#approvalDigest}).
     */
    public Uni<Grant> approve(String id, Approver approver) {
        return sessions.withTransaction(session -> bundles.lock(session)
                .chain(() -> find(session, id))
                .chain(row -> {
                    Grant grant = row.toDomain();
                    if (grant.state() != GrantState.Pending) {
                        throw ProblemException.conflict(
                                "Grant " + id + " is " + grant.state() + "; only a Pending grant can be approved");
                    }
                    approver.refusalFor(grant).ifPresent(problem -> {
                        throw forbidden("You may not approve grant " + id + ": " + problem.message() + ".", problem);
                    });
                    Instant now = clock.instant();
                    if (grant.expiredAt(now)) {
                        throw ProblemException.conflict("Grant " + id + " expired before it was approved");
                    }
                    return template(session, grant.role()).chain(found -> {
                        if (found.isEmpty() && BuiltinRole.of(grant.role()).isEmpty()) {
                            throw ProblemException.conflict("The role template '" + grant.role() + "' of grant " + id
                                    + " no longer exists; revoke the grant");
                        }
                        RoleTemplate template = found.orElse(null);
                        row.state = GrantState.Active.name();
                        row.approvedBy = approver.name();
                        row.approvedAt = now.atOffset(ZoneOffset.UTC);
                        row.approvedDigest = grant.approvalDigest(template);
                        row.approvedTemplateHash = template == null ? null : template.contentHash();
                        Grant approved = row.toDomain();
                        Map<String, String> details = new HashMap<>();
                        details.put("createdBy", grant.createdBy());
                        details.put("approvedDigest", row.approvedDigest);
                        if (template != null) {
                            details.put("templateHash", template.contentHash());
                        }
                        if (grant.reopenedBy() != null) {
                            details.put("reopenedBy", grant.reopenedBy());
                        }
                        return session.flush()
                                .chain(() -> event(session, EventType.GRANT_APPROVED, approved, approver.name()))
                                .chain(() -> record(session, "grant.approved", approved, details))
                                .chain(() -> bundles.convergeAll(session))
                                .replaceWith(approved);
                    });
                }));
    }

    /**
     * Sends back for approval, in the caller's transaction, every Active or Pending grant of the changed template
     * {@code after} whose approval bound the old content: grants that needed approval (prod, privileged) and grants
     * the change makes privileged. Their RBAC is withdrawn, not held at the approved version: nobody keeps access that
     * no second fleet-admin approved as it is now. Each is a {@code grant.requested} event on {@code fleet.access.v1}
     * whose reason says it was re-opened, and a {@code grant.reopened} audit record. Returns the re-opened grant ids;
     * the caller converges the bundles.
     */
    public Uni<List<String>> reopenForTemplate(
            Mutiny.Session session, RoleTemplate before, RoleTemplate after, String actor) {
        return session.createQuery(
                        "from GrantEntity where role = :role and state in ('Active', 'Pending') order by id",
                        GrantEntity.class)
                .setParameter("role", after.name())
                .getResultList()
                .chain(rows -> {
                    List<String> reopened = new ArrayList<>();
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (GrantEntity row : rows) {
                        Grant grant = row.toDomain();
                        if (!grant.approvalRequired() && !GuardRails.privileged(grant.role(), after)) {
                            continue; // no approval to invalidate: a dev grant of a plain template follows the change
                        }
                        reopened.add(grant.id());
                        String why = "role template '" + after.name() + "' changed (rules " + shortHash(before)
                                + " -> " + shortHash(after) + "); a fleet-admin other than " + actor
                                + " must approve it again";
                        Map<String, String> details = new HashMap<>();
                        details.put("template", after.name());
                        details.put("previousTemplateHash", before.contentHash());
                        details.put("templateHash", after.contentHash());
                        details.put("privileged", String.valueOf(after.privileged()));
                        chain = chain.chain(() -> reopen(
                                session, row, new AuditRecord.Actor(AuditRecord.ActorType.user, actor), why, details));
                    }
                    return chain.call(session::flush).replaceWith(reopened);
                });
    }

    /**
     * Re-opens every Active grant whose approval does not cover its role as it is now ({@link Grant#approvalHolds}):
     * grants of roles that became privileged when the guard rails widened, or whatever else left an approval behind
     * its content. The planner already keeps such grants off clusters; this makes their state say so. Returns how
     * many; runs with the expiry sweep.
     */
    public Uni<Integer> reopenUnheld() {
        return sessions.withSession(session -> unheld(session))
                .chain(found -> found.isEmpty()
                        ? Uni.createFrom().item(0)
                        : sessions.withTransaction(session -> bundles.lock(session)
                                .chain(() -> unheld(session))
                                .chain(rows -> {
                                    Uni<Void> chain = Uni.createFrom().voidItem();
                                    for (GrantEntity row : rows) {
                                        chain = chain.chain(() -> reopen(
                                                session,
                                                row,
                                                audit.serviceActor(),
                                                "its approval does not cover the role '" + row.role
                                                        + "' as it is now (privileged, or changed since approval)",
                                                Map.of("reason", "approval does not hold")));
                                    }
                                    return chain.call(session::flush)
                                            .chain(() -> bundles.convergeAll(session))
                                            .invoke(() -> LOG.infof(
                                                    "re-opened %d grants whose approval no longer holds: %s",
                                                    rows.size(),
                                                    rows.stream().map(r -> r.id).toList()))
                                            .replaceWith(rows.size());
                                })));
    }

    private Uni<List<GrantEntity>> unheld(Mutiny.Session session) {
        return session.createQuery("from GrantEntity where state = 'Active' order by id", GrantEntity.class)
                .getResultList()
                .chain(rows -> session.createQuery("from RoleTemplateEntity", RoleTemplateEntity.class)
                        .getResultList()
                        .map(templates -> {
                            Map<String, RoleTemplate> byName = new HashMap<>();
                            templates.forEach(t -> byName.put(t.name, t.toDomain()));
                            return rows.stream()
                                    .filter(r -> !r.toDomain().approvalHolds(byName.get(r.role)))
                                    .toList();
                        }));
    }

    private Uni<Void> reopen(
            Mutiny.Session session, GrantEntity row, AuditRecord.Actor actor, String why, Map<String, String> extra) {
        Grant before = row.toDomain();
        OffsetDateTime now = OffsetDateTime.now(clock);
        row.state = GrantState.Pending.name();
        row.approvalRequired = true;
        row.approvedBy = null;
        row.approvedAt = null;
        row.approvedDigest = null;
        row.approvedTemplateHash = null;
        row.appliedAt = null;
        row.reopenedBy = actor.name();
        row.reopenedAt = now;
        Grant reopened = row.toDomain();
        Map<String, String> details = new HashMap<>(extra);
        details.put("was", before.state().name());
        details.put("reason", why);
        if (before.approvedBy() != null) {
            details.put("previouslyApprovedBy", before.approvedBy());
        }
        LOG.infof("grant %s re-opened for approval by %s: %s", row.id, actor.name(), why);
        return event(session, EventType.GRANT_REQUESTED, reopened, actor.name(), "re-opened: " + why)
                .chain(() -> audit.recordAs(
                        session, actor, "grant.reopened", target(reopened), AuditRecord.Outcome.success, details))
                .replaceWithVoid();
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

    /** The role template of {@code role}; empty for a built-in role (or a template that is gone). */
    private static Uni<Optional<RoleTemplate>> template(Mutiny.Session session, String role) {
        if (BuiltinRole.of(role).isPresent()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return session.find(RoleTemplateEntity.class, role)
                .map(row -> Optional.ofNullable(row).map(RoleTemplateEntity::toDomain));
    }

    private static ProblemException forbidden(String detail, FieldProblem problem) {
        return new ProblemException(new Problem(
                URI.create("about:blank"),
                "Forbidden",
                403,
                detail,
                null,
                List.of(new Problem.FieldError(problem.field(), problem.message()))));
    }

    private static String shortHash(RoleTemplate template) {
        return template.contentHash().substring(0, 12);
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
        return event(session, type, grant, actor, grant.reason());
    }

    private Uni<Void> event(Mutiny.Session session, EventType type, Grant grant, String actor, String reason) {
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
                reason,
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
