package io.meridian.identity.persistence;

import io.meridian.identity.domain.FleetCluster;
import io.meridian.identity.domain.Grant;
import io.meridian.identity.domain.GrantConvergence;
import io.meridian.identity.domain.RoleTemplate;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.hibernate.reactive.mutiny.Mutiny;

/** Reads of what identity knows about the fleet: clusters, declared bundles, sync reports, templates. */
@ApplicationScoped
public class FleetView {

    /** Everything a grant's convergence or an access review is computed from. */
    public record Snapshot(
            List<FleetCluster> clusters,
            Map<String, Long> declared,
            Map<String, GrantConvergence.ClusterSync> synced,
            Map<String, RoleTemplate> templates) {

        /** The clusters a grant reaches today: none while its approval does not cover its role's content. */
        public List<FleetCluster> reaching(Grant grant) {
            if (!grant.approvalHolds(templates.get(grant.role()))) {
                return List.of();
            }
            return clusters.stream().filter(grant::reaches).toList();
        }

        public GrantConvergence convergence(Grant grant) {
            return GrantConvergence.of(grant, reaching(grant), declared, synced, templates.get(grant.role()));
        }
    }

    private final Mutiny.SessionFactory sessions;

    FleetView(Mutiny.SessionFactory sessions) {
        this.sessions = sessions;
    }

    public Uni<Snapshot> snapshot() {
        return sessions.withSession(this::snapshot);
    }

    public Uni<Snapshot> snapshot(Mutiny.Session session) {
        return session.createQuery("from FleetClusterEntity order by id", FleetClusterEntity.class)
                .getResultList()
                .chain(clusters -> session.createQuery("from ClusterBundleEntity", ClusterBundleEntity.class)
                        .getResultList()
                        .chain(bundles -> session.createQuery("from ClusterSyncEntity", ClusterSyncEntity.class)
                                .getResultList()
                                .chain(syncs -> session.createQuery("from RoleTemplateEntity", RoleTemplateEntity.class)
                                        .getResultList()
                                        .map(templates -> {
                                            Map<String, Long> declared = new HashMap<>();
                                            // A withdrawn bundle wants nothing, so nothing can be pending there.
                                            bundles.stream()
                                                    .filter(b -> b.contentHash != null)
                                                    .forEach(b -> declared.put(b.clusterId, b.generation));
                                            Map<String, GrantConvergence.ClusterSync> synced = new HashMap<>();
                                            syncs.forEach(s -> synced.put(
                                                    s.clusterId,
                                                    new GrantConvergence.ClusterSync(
                                                            s.generationWanted,
                                                            s.generationApplied,
                                                            s.failures == null ? Map.of() : s.failures)));
                                            return new Snapshot(
                                                    clusters.stream()
                                                            .map(FleetClusterEntity::toDomain)
                                                            .toList(),
                                                    declared,
                                                    synced,
                                                    templates.stream()
                                                            .map(RoleTemplateEntity::toDomain)
                                                            .collect(Collectors.toMap(RoleTemplate::name, t -> t)));
                                        }))));
    }
}
