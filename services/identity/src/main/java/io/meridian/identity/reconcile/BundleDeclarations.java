package io.meridian.identity.reconcile;

import io.meridian.contracts.desired.DesiredBundle;
import io.meridian.eventing.desired.Declaration;
import io.meridian.eventing.desired.DesiredBundleDeclarer;
import io.meridian.eventing.desired.WantedBundle;
import io.meridian.identity.config.IdentityConfig;
import io.meridian.identity.domain.FleetCluster;
import io.meridian.identity.domain.Grant;
import io.meridian.identity.domain.RoleBindingPlanner;
import io.meridian.identity.domain.RoleTemplate;
import io.meridian.identity.domain.SubjectMapping;
import io.meridian.identity.persistence.FleetClusterEntity;
import io.meridian.identity.persistence.GrantEntity;
import io.meridian.identity.persistence.RoleTemplateEntity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Recomputes the desired RBAC bundle of clusters inside the caller's transaction and hands them to the fleet's
 * {@link DesiredBundleDeclarer}, which declares those whose content changed on identity's topic {@code
 * fleet.desired.identity.v1} (a tombstone when nothing is wanted any more). Level-triggered: it re-reads grants,
 * templates and the fleet every time, so a repeated or missed trigger converges to the same bundles, and an unchanged
 * result declares nothing.
 */
@ApplicationScoped
public class BundleDeclarations {

    /** The owner of identity's bundles: {@code identity/<clusterId>} on {@code fleet.desired.identity.v1}. */
    public static final String OWNER = "identity";

    private static final Logger LOG = Logger.getLogger(BundleDeclarations.class);

    private final DesiredBundleDeclarer declarer;
    private final RoleBindingPlanner planner;
    private final Counter declared;
    private final Counter tombstoned;

    BundleDeclarations(DesiredBundleDeclarer declarer, IdentityConfig config, MeterRegistry registry) {
        this.declarer = declarer;
        this.planner = new RoleBindingPlanner(new SubjectMapping(
                config.subjects().groupPrefix(), config.subjects().userPrefix()));
        this.declared = Counter.builder("meridian.identity.bundles.declared")
                .description("Desired RBAC bundles declared because their content changed")
                .register(registry);
        this.tombstoned = Counter.builder("meridian.identity.bundles.tombstoned")
                .description("Desired RBAC bundles withdrawn because nothing is wanted on the cluster any more")
                .register(registry);
    }

    public RoleBindingPlanner planner() {
        return planner;
    }

    /** Recomputes every cluster's bundle (a grant or template changed). */
    public Uni<Integer> convergeAll(Mutiny.Session session) {
        return converge(session, null);
    }

    /**
     * Recomputes the bundles of {@code clusterIds} (null: every cluster known or declared to), declaring the changed
     * ones; returns how many were declared or withdrawn. Bundle writes of all replicas are serialised by a row lock,
     * so generations never collide.
     */
    public Uni<Integer> converge(Mutiny.Session session, Set<String> clusterIds) {
        return lock(session)
                .chain(() -> session.createQuery("from FleetClusterEntity", FleetClusterEntity.class)
                        .getResultList())
                .chain(clusters -> session.createQuery("from GrantEntity where state = 'Active'", GrantEntity.class)
                        .getResultList()
                        .chain(grants -> session.createQuery("from RoleTemplateEntity", RoleTemplateEntity.class)
                                .getResultList()
                                .chain(templates -> (clusterIds == null
                                                ? declarer.declaredClusters(session, OWNER)
                                                : Uni.createFrom().item(Set.<String>of()))
                                        .chain(declaredTo -> declare(
                                                session,
                                                clusterIds,
                                                clusters.stream()
                                                        .map(FleetClusterEntity::toDomain)
                                                        .collect(Collectors.toMap(FleetCluster::id, c -> c)),
                                                grants.stream()
                                                        .map(GrantEntity::toDomain)
                                                        .toList(),
                                                templates.stream()
                                                        .map(RoleTemplateEntity::toDomain)
                                                        .collect(Collectors.toMap(RoleTemplate::name, t -> t)),
                                                declaredTo)))));
    }

    /**
     * Takes the row lock that serialises every change of what reaches clusters (bundle declarations, grant creation and
     * approval, template changes) until the caller's transaction ends; taking it again in the same transaction is free.
     * An approval and a template change that race therefore never leave an approval of content nobody approved.
     */
    public Uni<Void> lock(Mutiny.Session session) {
        return session.createNativeQuery("UPDATE bundle_lock SET touched_at = now() WHERE id = 1")
                .executeUpdate()
                .replaceWithVoid();
    }

    private Uni<Integer> declare(
            Mutiny.Session session,
            Set<String> only,
            Map<String, FleetCluster> clusters,
            List<Grant> grants,
            Map<String, RoleTemplate> templates,
            Set<String> declaredTo) {
        Set<String> ids = new TreeSet<>();
        if (only == null) {
            // A cluster identity no longer knows but still has a bundle on gets it withdrawn.
            ids.addAll(clusters.keySet());
            ids.addAll(declaredTo);
        } else {
            ids.addAll(only);
        }
        List<WantedBundle> wanted = new ArrayList<>(ids.size());
        for (String id : ids) {
            FleetCluster cluster = clusters.get(id);
            wanted.add(
                    cluster == null
                            ? WantedBundle.nothing(id)
                            : WantedBundle.of(id, planner.plan(cluster, grants, templates)));
        }
        // One declaration for every cluster: a grant reaching 100 clusters stays a few round trips.
        return declarer.declareAll(session, OWNER, wanted).map(results -> {
            int changed = 0;
            for (Declaration result : results) {
                switch (result) {
                    case Declaration.Declared d -> {
                        declared.increment();
                        LOG.infof(
                                "cluster %s: declaring generation %d with %d RBAC objects",
                                d.clusterId(), d.generation(), d.objectCount());
                        changed++;
                    }
                    case Declaration.Tombstoned t -> {
                        tombstoned.increment();
                        LOG.infof(
                                "cluster %s: no grant reaches it any more; withdrawing bundle %s (generation %d)",
                                t.clusterId(), DesiredBundle.key(OWNER, t.clusterId()), t.generation());
                        changed++;
                    }
                    case Declaration.Unchanged u -> {
                        // the same bundle is declared already
                    }
                }
            }
            return changed;
        });
    }
}
