package io.meridian.identity.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.meridian.contracts.EventType;
import io.meridian.contracts.desired.DesiredBundle;
import io.meridian.contracts.desired.DriftPolicy;
import io.meridian.eventing.outbox.Outbox;
import io.meridian.identity.config.IdentityConfig;
import io.meridian.identity.domain.FleetCluster;
import io.meridian.identity.domain.Grant;
import io.meridian.identity.domain.RoleBindingPlanner;
import io.meridian.identity.domain.RoleTemplate;
import io.meridian.identity.domain.SubjectMapping;
import io.meridian.identity.persistence.ClusterBundleEntity;
import io.meridian.identity.persistence.FleetClusterEntity;
import io.meridian.identity.persistence.GrantEntity;
import io.meridian.identity.persistence.RoleTemplateEntity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Recomputes the desired RBAC bundle of clusters inside the caller's transaction and declares those whose content
 * changed on {@code fleet.desired.v1} through the outbox, with a generation one above the last (a tombstone when
 * nothing is wanted any more). Level-triggered: it re-reads grants, templates and the fleet every time, so a
 * repeated or missed trigger converges to the same bundles, and an unchanged result declares nothing.
 */
@ApplicationScoped
public class BundleDeclarations {

    /** The owner of identity's bundles: {@code identity/<clusterId>} on {@code fleet.desired.v1}. */
    public static final String OWNER = "identity";

    private static final Logger LOG = Logger.getLogger(BundleDeclarations.class);
    private static final ObjectMapper CANONICAL =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final Outbox outbox;
    private final Clock clock;
    private final RoleBindingPlanner planner;
    private final Counter declared;
    private final Counter tombstoned;

    BundleDeclarations(Outbox outbox, Clock clock, IdentityConfig config, MeterRegistry registry) {
        this.outbox = outbox;
        this.clock = clock;
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
     * ones; returns how many were declared. Bundle writes of all replicas are serialised by a row lock, so
     * generations never collide.
     */
    public Uni<Integer> converge(Mutiny.Session session, Set<String> clusterIds) {
        return lock(session)
                .chain(() -> session.createQuery("from FleetClusterEntity", FleetClusterEntity.class)
                        .getResultList())
                .chain(clusters -> session.createQuery("from GrantEntity where state = 'Active'", GrantEntity.class)
                        .getResultList()
                        .chain(grants -> session.createQuery("from RoleTemplateEntity", RoleTemplateEntity.class)
                                .getResultList()
                                .chain(templates -> session.createQuery(
                                                "from ClusterBundleEntity", ClusterBundleEntity.class)
                                        .getResultList()
                                        .chain(bundles -> declare(
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
                                                bundles.stream()
                                                        .collect(Collectors.toMap(
                                                                b -> b.clusterId, Function.identity())))))));
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
            Map<String, ClusterBundleEntity> bundles) {
        Set<String> ids = new TreeSet<>();
        if (only == null) {
            ids.addAll(clusters.keySet());
            ids.addAll(bundles.keySet());
        } else {
            ids.addAll(only);
        }
        // The declarations go out in one multi-row outbox statement: a grant reaching 100 clusters is one round trip.
        List<Outbox.Message> declarations = new ArrayList<>();
        Uni<Integer> chain = Uni.createFrom().item(0);
        for (String id : ids) {
            FleetCluster cluster = clusters.get(id);
            List<Map<String, Object>> objects = cluster == null ? List.of() : planner.plan(cluster, grants, templates);
            ClusterBundleEntity last = bundles.get(id);
            chain = chain.chain(count ->
                    declareOne(session, id, objects, last, declarations).map(changed -> count + (changed ? 1 : 0)));
        }
        return chain.call(() -> outbox.appendAll(session, declarations));
    }

    private Uni<Boolean> declareOne(
            Mutiny.Session session,
            String clusterId,
            List<Map<String, Object>> objects,
            ClusterBundleEntity last,
            List<Outbox.Message> declarations) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        String key = DesiredBundle.key(OWNER, clusterId);
        if (objects.isEmpty()) {
            if (last == null || last.contentHash == null) {
                return Uni.createFrom().item(false);
            }
            last.contentHash = null;
            last.objectCount = 0;
            last.declaredAt = now;
            tombstoned.increment();
            LOG.infof("cluster %s: no grant reaches it any more; withdrawing bundle %s", clusterId, key);
            return outbox.appendTombstone(session, EventType.DESIRED_BUNDLE_DECLARED, key, clusterId)
                    .replaceWith(true);
        }
        String hash = hash(objects);
        if (last != null && hash.equals(last.contentHash)) {
            return Uni.createFrom().item(false);
        }
        ClusterBundleEntity row = last == null ? new ClusterBundleEntity() : last;
        row.clusterId = clusterId;
        row.generation = (last == null ? 0 : last.generation) + 1;
        row.contentHash = hash;
        row.objectCount = objects.size();
        row.declaredAt = now;
        DesiredBundle bundle = new DesiredBundle(
                OWNER, clusterId, row.generation, DriftPolicy.REPAIR, false, objects, now.toInstant());
        declared.increment();
        LOG.infof(
                "cluster %s: declaring generation %d with %d RBAC objects", clusterId, row.generation, objects.size());
        declarations.add(new Outbox.Message(EventType.DESIRED_BUNDLE_DECLARED, key, clusterId, bundle));
        Uni<Void> write = last == null ? session.persist(row) : Uni.createFrom().voidItem();
        return write.replaceWith(true);
    }

    static String hash(List<Map<String, Object>> objects) {
        try {
            byte[] canonical = CANONICAL.writeValueAsString(objects).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
