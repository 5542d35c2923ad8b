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
import java.util.List;
import java.util.Map;
import org.hibernate.reactive.mutiny.Mutiny;

/** Role templates: each change is one transaction with its audit record and, for a changed template, new bundles. */
@ApplicationScoped
public class RoleTemplateCatalog {

    private final Mutiny.SessionFactory sessions;
    private final AuditTrail audit;
    private final BundleDeclarations bundles;
    private final Clock clock;

    RoleTemplateCatalog(Mutiny.SessionFactory sessions, AuditTrail audit, BundleDeclarations bundles, Clock clock) {
        this.sessions = sessions;
        this.audit = audit;
        this.bundles = bundles;
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

    /** Changes a template's rules; every cluster where it is granted gets the new ClusterRole. */
    public Uni<RoleTemplate> update(RoleTemplate template) {
        return sessions.withTransaction(session -> find(session, template.name())
                .chain(row -> {
                    row.apply(template);
                    row.updatedAt = OffsetDateTime.now(clock);
                    return session.flush()
                            .chain(() -> record(session, "role-template.updated", template))
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
        return audit.record(
                        session,
                        action,
                        new AuditRecord.Target("RoleTemplate", template.name(), null),
                        AuditRecord.Outcome.success,
                        Map.of(
                                "rules",
                                String.valueOf(template.rules().size()),
                                "privileged",
                                String.valueOf(template.privileged())))
                .replaceWithVoid();
    }
}
