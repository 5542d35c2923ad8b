package io.meridian.identity.persistence;

import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.resource.PolicyRule;
import io.meridian.contracts.resource.ResyncMarker;
import io.meridian.identity.domain.ObservedRbac;
import io.meridian.identity.domain.RbacRisks;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The RBAC objects of the fleet as last observed: upserted per record, removed on tombstones, and swept after a
 * cluster's resync (objects from older epochs vanished meanwhile). Keyed by record key, so replay converges.
 */
@ApplicationScoped
public class ObservedRbacStore {

    private static final String RBAC_GROUP = "rbac.authorization.k8s.io";

    private final Mutiny.SessionFactory sessions;

    ObservedRbacStore(Mutiny.SessionFactory sessions) {
        this.sessions = sessions;
    }

    public Uni<Void> observed(String key, ObservedResource resource) {
        return sessions.withTransaction(session -> session.find(ObservedRbacEntity.class, key)
                .chain(row -> {
                    ObservedRbacEntity e = row == null ? new ObservedRbacEntity() : row;
                    e.recordKey = key;
                    e.clusterId = resource.clusterId();
                    e.kind = resource.kind();
                    e.namespace = resource.namespace();
                    e.name = resource.name();
                    e.labels = new HashMap<>(resource.labels());
                    e.roleRefKind = resource.rbac() == null || resource.rbac().roleRef() == null
                            ? null
                            : resource.rbac().roleRef().kind();
                    e.roleRefName = resource.rbac() == null || resource.rbac().roleRef() == null
                            ? null
                            : resource.rbac().roleRef().name();
                    List<RbacRisks.SubjectRef> subjects = new ArrayList<>();
                    List<PolicyRule> rules = new ArrayList<>();
                    if (resource.rbac() != null) {
                        resource.rbac()
                                .subjects()
                                .forEach(
                                        s -> subjects.add(new RbacRisks.SubjectRef(s.kind(), s.name(), s.namespace())));
                        rules.addAll(resource.rbac().rules());
                    }
                    e.subjects = new JsonLists.Subjects(subjects);
                    e.rules = new JsonLists.Rules(rules);
                    e.resyncEpoch = resource.resyncEpoch();
                    e.observedAt = resource.observedAt() == null
                            ? null
                            : resource.observedAt().atOffset(ZoneOffset.UTC);
                    if (e.observedAt == null) {
                        e.observedAt = java.time.OffsetDateTime.now(ZoneOffset.UTC);
                    }
                    return row == null ? session.persist(e) : Uni.createFrom().voidItem();
                }));
    }

    public Uni<Void> deleted(String key) {
        return sessions.withTransaction(
                        session -> session.createQuery("delete from ObservedRbacEntity where recordKey = :key")
                                .setParameter("key", key)
                                .executeUpdate())
                .replaceWithVoid();
    }

    /**
     * After a completed resync, the objects last confirmed before it are gone, except those of a kind the relist could
     * not list completely ({@link ResyncMarker#notResynced()}, e.g. RBAC denied inventory a kind): the relist says
     * nothing about them, and dropping them would empty the access view of that cluster.
     */
    public Uni<Void> resynced(ResyncMarker marker) {
        List<String> kept = marker.notResynced().stream()
                .filter(gk -> RBAC_GROUP.equals(gk.apiGroup()))
                .map(ResyncMarker.GroupKind::kind)
                .toList();
        return sessions.withTransaction(session -> {
                    var delete = session.createQuery("delete from ObservedRbacEntity where clusterId = :cluster"
                                    + " and resyncEpoch < :epoch" + (kept.isEmpty() ? "" : " and kind not in :kept"))
                            .setParameter("cluster", marker.clusterId())
                            .setParameter("epoch", marker.epoch());
                    return (kept.isEmpty() ? delete : delete.setParameter("kept", kept)).executeUpdate();
                })
                .replaceWithVoid();
    }

    public Uni<Void> forgetCluster(Mutiny.Session session, String clusterId) {
        return session.createQuery("delete from ObservedRbacEntity where clusterId = :cluster")
                .setParameter("cluster", clusterId)
                .executeUpdate()
                .replaceWithVoid();
    }

    public Uni<List<ObservedRbac>> all(String clusterId) {
        return sessions.withSession(session -> (clusterId == null
                                ? session.createQuery("from ObservedRbacEntity", ObservedRbacEntity.class)
                                : session.createQuery(
                                                "from ObservedRbacEntity where clusterId = :cluster",
                                                ObservedRbacEntity.class)
                                        .setParameter("cluster", clusterId))
                        .getResultList())
                .map(rows -> rows.stream().map(ObservedRbacEntity::toDomain).toList());
    }
}
