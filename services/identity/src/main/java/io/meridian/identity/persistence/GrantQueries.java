package io.meridian.identity.persistence;

import io.meridian.identity.domain.Grant;
import io.meridian.servicekit.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/** Reads of grants. */
@ApplicationScoped
public class GrantQueries {

    private final Mutiny.SessionFactory sessions;

    GrantQueries(Mutiny.SessionFactory sessions) {
        this.sessions = sessions;
    }

    public Uni<Grant> get(String id) {
        return sessions.withSession(session -> session.find(GrantEntity.class, id))
                .map(found -> {
                    if (found == null) {
                        throw ProblemException.notFound("Grant '" + id + "'");
                    }
                    return found.toDomain();
                });
    }

    /** Every grant, oldest first (ids sort by creation time). */
    public Uni<List<Grant>> all() {
        return sessions.withSession(session -> session.createQuery("from GrantEntity order by id", GrantEntity.class)
                        .getResultList())
                .map(rows -> rows.stream().map(GrantEntity::toDomain).toList());
    }

    public Uni<List<Grant>> all(Mutiny.Session session) {
        return session.createQuery("from GrantEntity order by id", GrantEntity.class)
                .getResultList()
                .map(rows -> rows.stream().map(GrantEntity::toDomain).toList());
    }
}
