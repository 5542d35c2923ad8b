package io.meridian.identity.reconcile;

import io.meridian.contracts.audit.AuditRecord;
import io.meridian.eventing.audit.AuditTrail;
import io.meridian.identity.domain.RoleTemplate;
import io.meridian.identity.persistence.RoleTemplateEntity;
import io.meridian.servicekit.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Role templates: each change is one transaction with its audit record and, for a changed template, the grants it
 * re-opens for approval and new bundles.
 */
@ApplicationScoped
public class RoleTemplateCatalog {

    private final Mutiny.SessionFactory sessions;
    private final AuditTrail audit;
    private final BundleDeclarations bundles;
    private final GrantLifecycle lifecycle;
    private final Clock clock;

    RoleTemplateCatalog(
            Mutiny.SessionFactory sessions,
            AuditTrail audit,
            BundleDeclarations bundles,
            GrantLifecycle lifecycle,
            Clock clock) {
        this.sessions = sessions;
        this.audit = audit;
        this.bundles = bundles;
        this.lifecycle = lifecycle;
        this.clock = clock;
    }

    public Uni<List<RoleTemplate>> all() {
        return sessions.withSession(session -> session.createQuery(
                                "from RoleTemplateEntity order by name", RoleTemplateEntity.class)
                        .getResultList())
                .map(rows -> rows.stream().map(RoleTemplateEntity::toDomain).toList());
    }

    public Uni<RoleTemplate> get(String name) {
        return sessions.withSession(session -> find(session, name)).map(RoleTemplateEntity::toDomain);
    }

    public Uni<RoleTemplate> create(RoleTemplate template, String actor) {
        return sessions.withTransaction(session -> session.find(RoleTemplateEntity.class, template.name())
                .chain(existing -> {
                    if (existing != null) {
                        throw ProblemException.conflict("A role template named '" + template.name()
                                + "' exists; change it with PUT /api/v1/role-templates/" + template.name());
                    }
                    OffsetDateTime now = OffsetDateTime.now(clock);
                    RoleTemplateEntity row = new RoleTemplateEntity();
                    row.name = template.name();
                    row.apply(template);
                    row.createdBy = actor;
                    row.createdAt = now;
                    row.updatedAt = now;
                    return session.persist(row)
                            .call(session::flush)
                            .chain(() -> record(session, "role-template.created", template))
                            .replaceWith(template);
                }));
    }

    /**
     * Changes a template's rules; every cluster where it is granted gets the new ClusterRole, except that grants whose
     * approval bound the old rules go back to Pending ({@link GrantLifecycle#reopenForTemplate}) and their RBAC is
     * withdrawn until a fleet-admin other than {@code actor} approves the new content. A change of the description
     * alone, or the same rules again, re-opens nothing.
     */
    public Uni<RoleTemplate> update(RoleTemplate template, String actor) {
        return sessions.withTransaction(session -> bundles.lock(session)
                .chain(() -> find(session, template.name()))
                .chain(row -> {
                    RoleTemplate before = row.toDomain();
                    row.apply(template);
                    row.updatedAt = OffsetDateTime.now(clock);
                    boolean rulesChanged = !before.contentHash().equals(template.contentHash());
                    Uni<List<String>> reopened = rulesChanged
                            ? lifecycle.reopenForTemplate(session, before, template, actor)
                            : Uni.createFrom().item(List.of());
                    return session.flush()
                            .chain(() -> reopened)
                            .chain(ids -> {
                                Map<String, String> details = new HashMap<>(details(template));
                                details.put("previousContentHash", before.contentHash());
                                if (!ids.isEmpty()) {
                                    details.put("reopenedGrants", String.join(",", ids));
                                }
                                return audit.record(
                                        session,
                                        "role-template.updated",
                                        target(template),
                                        AuditRecord.Outcome.success,
                                        details);
                            })
                            .chain(() -> bundles.convergeAll(session))
                            .replaceWith(template);
                }));
    }

    /** Deletes a template no Active or Pending grant uses. */
    public Uni<Void> delete(String name) {
        return sessions.withTransaction(session -> find(session, name)
                .chain(row -> session.createQuery(
                                "select count(g) from GrantEntity g where g.role = :role and g.state in ('Active',"
                                        + " 'Pending')",
                                Long.class)
                        .setParameter("role", name)
                        .getSingleResult()
                        .chain(inUse -> {
                            if (inUse > 0) {
                                throw ProblemException.conflict("Role template '" + name + "' is used by " + inUse
                                        + " active or pending grants; revoke them first");
                            }
                            return session.remove(row)
                                    .call(session::flush)
                                    .chain(() -> record(session, "role-template.deleted", row.toDomain()))
                                    .replaceWithVoid();
                        })));
    }

    private static Uni<RoleTemplateEntity> find(Mutiny.Session session, String name) {
        return session.find(RoleTemplateEntity.class, name).map(row -> {
            if (row == null) {
                throw ProblemException.notFound("Role template '" + name + "'");
            }
            return row;
        });
    }

    private Uni<Void> record(Mutiny.Session session, String action, RoleTemplate template) {
        return audit.record(session, action, target(template), AuditRecord.Outcome.success, details(template))
                .replaceWithVoid();
    }

    private static AuditRecord.Target target(RoleTemplate template) {
        return new AuditRecord.Target("RoleTemplate", template.name(), null);
    }

    private static Map<String, String> details(RoleTemplate template) {
        return Map.of(
                "rules",
                String.valueOf(template.rules().size()),
                "privileged",
                String.valueOf(template.privileged()),
                "contentHash",
                template.contentHash());
    }
}
