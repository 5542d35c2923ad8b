package io.meridian.inventory.persistence;

import io.meridian.contracts.EventType;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.contracts.cluster.ClusterPhase;
import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.selector.ClusterSelector;
import io.meridian.eventing.audit.AuditTrail;
import io.meridian.eventing.outbox.Outbox;
import io.meridian.inventory.credentials.ClusterCredentials;
import io.meridian.inventory.registry.ClusterSpec;
import io.meridian.inventory.registry.FieldProblem;
import io.meridian.inventory.registry.ProdGuard;
import io.meridian.servicekit.Problem;
import io.meridian.servicekit.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The cluster registry's writes and reads. Every change is one transaction holding the row, the
 * snapshot event for {@code fleet.clusters.v1} and the audit record, so none exists without the others.
 */
@ApplicationScoped
public class ClusterRegistry {

    /** A registered cluster with its last observed status (null before the first observation). */
    public record Registered(ClusterEntity cluster, ClusterStatusEntity status) {}

    /** Filters of the list operation; null fields do not filter. */
    public record Filter(ClusterSelector selector, String phase, String text) {}

    /** A page of clusters ordered by name, and the cursor of the next page if there is one. */
    public record Page(List<Registered> items, Optional<String> nextCursor, int total) {}

    /** Fields of an update; null leaves a field as it is. */
    public record Update(
            String displayName,
            String region,
            String environment,
            Map<String, String> labels,
            String metricsUrl,
            ClusterCredentials credentials) {}

    private final Mutiny.SessionFactory sessions;
    private final Outbox outbox;
    private final AuditTrail audit;
    private final CredentialVault vault;
    private final Clock clock;

    ClusterRegistry(
            Mutiny.SessionFactory sessions, Outbox outbox, AuditTrail audit, CredentialVault vault, Clock clock) {
        this.sessions = sessions;
        this.outbox = outbox;
        this.audit = audit;
        this.vault = vault;
        this.clock = clock;
    }

    public Uni<Registered> register(ClusterSpec spec, ClusterCredentials credentials, String source) {
        return sessions.withTransaction(session -> session.find(ClusterEntity.class, spec.name())
                        .chain(existing -> {
                            if (existing != null) {
                                return Uni.createFrom().failure(alreadyRegistered(spec.name()));
                            }
                            OffsetDateTime now = OffsetDateTime.now(clock);
                            ClusterEntity cluster = new ClusterEntity();
                            cluster.name = spec.name();
                            cluster.source = source;
                            cluster.createdAt = now;
                            apply(cluster, spec);
                            seal(cluster, credentials);
                            cluster.updatedAt = now;
                            return session.persist(cluster)
                                    .call(session::flush)
                                    .chain(() -> publish(session, EventType.CLUSTER_REGISTERED, cluster, null, null))
                                    .chain(() -> audit(session, "cluster.registered", cluster, details(cluster)))
                                    .replaceWith(new Registered(cluster, null));
                        }))
                .onFailure(ClusterRegistry::isUniqueViolation)
                .transform(e -> alreadyRegistered(spec.name()));
    }

    /**
     * Changes a cluster's registration.
     *
     * @param prodChangesAllowed whether the caller may move the cluster into or out of prod or relabel a prod
     *     cluster ({@link ProdGuard}): a fleet-admin, or a Cluster API import from an allowed namespace; otherwise
     *     such a change is refused with 403, checked against the row in this transaction
     */
    public Uni<Registered> update(String name, Update update, boolean prodChangesAllowed) {
        return sessions.withTransaction(session -> find(session, name).chain(found -> {
            ClusterEntity cluster = found.cluster();
            if (!prodChangesAllowed) {
                List<FieldProblem> adminOnly =
                        ProdGuard.adminOnly(cluster.environment, cluster.labels, update.environment(), update.labels());
                if (!adminOnly.isEmpty()) {
                    return Uni.createFrom().failure(fleetAdminRequired(name, adminOnly));
                }
            }
            List<String> changed = new ArrayList<>();
            if (update.displayName() != null && !update.displayName().equals(cluster.displayName)) {
                cluster.displayName = update.displayName();
                changed.add("displayName");
            }
            if (update.region() != null && !update.region().equals(cluster.region)) {
                cluster.region = update.region();
                changed.add("region");
            }
            if (update.environment() != null && !update.environment().equals(cluster.environment)) {
                cluster.environment = update.environment();
                changed.add("environment");
            }
            if (update.labels() != null && !update.labels().equals(cluster.labels)) {
                cluster.labels = new HashMap<>(update.labels());
                changed.add("labels");
            }
            if (update.metricsUrl() != null && !update.metricsUrl().equals(cluster.metricsUrl)) {
                cluster.metricsUrl = update.metricsUrl().isBlank() ? null : update.metricsUrl();
                changed.add("metricsUrl");
            }
            if (update.credentials() != null) {
                seal(cluster, update.credentials());
                changed.add("credentials");
            }
            if (changed.isEmpty()) {
                return Uni.createFrom().item(found);
            }
            cluster.updatedAt = OffsetDateTime.now(clock);
            return session.flush()
                    .chain(() -> publish(session, EventType.CLUSTER_UPDATED, cluster, found.status(), null))
                    .chain(() ->
                            audit(session, "cluster.updated", cluster, Map.of("changed", String.join(",", changed))))
                    .replaceWith(new Registered(cluster, found.status()));
        }));
    }

    public Uni<Void> deregister(String name) {
        return sessions.withTransaction(session -> find(session, name).chain(found -> {
            ClusterEntity cluster = found.cluster();
            Uni<Void> removeStatus =
                    found.status() == null ? Uni.createFrom().voidItem() : session.remove(found.status());
            return removeStatus
                    .chain(() -> session.remove(cluster))
                    .call(session::flush)
                    .chain(() -> publish(
                            session,
                            EventType.CLUSTER_DEREGISTERED,
                            cluster,
                            found.status(),
                            ClusterPhase.Deregistered))
                    .chain(() -> outbox.appendTombstone(session, EventType.CLUSTER_DEREGISTERED, name, name))
                    .chain(() -> audit(session, "cluster.deregistered", cluster, Map.of()))
                    .replaceWithVoid();
        }));
    }

    public Uni<Registered> get(String name) {
        return sessions.withSession(session -> find(session, name));
    }

    /** Every registered cluster; the connection reconciler's view of what should be connected. */
    public Uni<List<Registered>> all() {
        return sessions.withSession(session -> session.createQuery(
                        "from ClusterEntity order by name", ClusterEntity.class)
                .getResultList()
                .chain(clusters -> statuses(session)
                        .map(statuses -> clusters.stream()
                                .map(c -> new Registered(c, statuses.get(c.name)))
                                .toList())));
    }

    public Uni<Page> list(Filter filter, int limit, String cursor) {
        return all().map(everything -> {
            List<Registered> matching =
                    everything.stream().filter(r -> matches(r, filter)).toList();
            List<Registered> after = cursor == null
                    ? matching
                    : matching.stream()
                            .filter(r -> r.cluster().name.compareTo(cursor) > 0)
                            .toList();
            List<Registered> page = after.stream().limit(limit).toList();
            Optional<String> next =
                    after.size() > limit ? Optional.of(page.getLast().cluster().name) : Optional.empty();
            return new Page(page, next, matching.size());
        });
    }

    /**
     * Records what the connection reconciler observed; publishes a status-changed snapshot only when
     * something a consumer cares about changed.
     *
     * @return whether the status changed
     */
    public Uni<Boolean> recordStatus(String name, ObservedStatus observed) {
        return sessions.withTransaction(session -> session.find(ClusterEntity.class, name)
                .chain(cluster -> {
                    if (cluster == null) {
                        return Uni.createFrom().item(false); // deregistered meanwhile
                    }
                    return session.find(ClusterStatusEntity.class, name).chain(current -> {
                        if (current != null && observed.sameAs(current)) {
                            return Uni.createFrom().item(false);
                        }
                        ClusterStatusEntity status = current == null ? new ClusterStatusEntity() : current;
                        status.name = name;
                        observed.applyTo(status, OffsetDateTime.now(clock));
                        Uni<Void> write = current == null
                                ? session.persist(status)
                                : Uni.createFrom().voidItem();
                        return write.call(session::flush)
                                .chain(() -> publish(session, EventType.CLUSTER_STATUS_CHANGED, cluster, status, null))
                                .replaceWith(true);
                    });
                }));
    }

    private Uni<Registered> find(Mutiny.Session session, String name) {
        return session.find(ClusterEntity.class, name).chain(cluster -> {
            if (cluster == null) {
                return Uni.createFrom().failure(ProblemException.notFound("Cluster '" + name + "'"));
            }
            return session.find(ClusterStatusEntity.class, name).map(status -> new Registered(cluster, status));
        });
    }

    private static Uni<Map<String, ClusterStatusEntity>> statuses(Mutiny.Session session) {
        return session.createQuery("from ClusterStatusEntity", ClusterStatusEntity.class)
                .getResultList()
                .map(list -> list.stream().collect(Collectors.toMap(s -> s.name, s -> s)));
    }

    private Uni<ClusterSnapshot> publish(
            Mutiny.Session session,
            EventType type,
            ClusterEntity cluster,
            ClusterStatusEntity status,
            ClusterPhase phaseOverride) {
        return session.createNativeQuery("SELECT nextval('cluster_snapshot_revision')", Long.class)
                .getSingleResult()
                .chain(revision -> {
                    ClusterSnapshot snapshot =
                            ClusterSnapshots.of(cluster, status, phaseOverride, revision, clock.instant());
                    return outbox.append(session, type, snapshot.key(), cluster.name, snapshot)
                            .replaceWith(snapshot);
                });
    }

    private Uni<AuditRecord> audit(
            Mutiny.Session session, String action, ClusterEntity cluster, Map<String, String> details) {
        return audit.record(
                session,
                action,
                new AuditRecord.Target("Cluster", cluster.name, cluster.name),
                AuditRecord.Outcome.success,
                details);
    }

    private static Map<String, String> details(ClusterEntity cluster) {
        Map<String, String> details = new HashMap<>();
        details.put("cloud", cluster.cloud);
        if (cluster.region != null) {
            details.put("region", cluster.region);
        }
        if (cluster.environment != null) {
            details.put("environment", cluster.environment);
        }
        details.put("credentials", cluster.credentialKind);
        return details;
    }

    private void seal(ClusterEntity cluster, ClusterCredentials credentials) {
        CredentialVault.Sealed sealed = vault.seal(cluster.name, credentials);
        cluster.credentialKind = sealed.kind();
        cluster.credentialSecret = sealed.storage();
        cluster.credentialKeyId = sealed.keyId();
    }

    private static void apply(ClusterEntity cluster, ClusterSpec spec) {
        cluster.displayName = spec.displayName();
        cluster.cloud = spec.cloud().wireName();
        cluster.region = spec.region();
        cluster.environment = spec.environment();
        cluster.labels = new HashMap<>(spec.labels());
        cluster.apiServerUrl = spec.apiServerUrl();
        cluster.metricsUrl = spec.metricsUrl() == null || spec.metricsUrl().isBlank() ? null : spec.metricsUrl();
    }

    /** Whether a registered cluster passes the list filter (package-private for its unit test). */
    static boolean matches(Registered r, Filter f) {
        ClusterEntity c = r.cluster();
        String phase = r.status() == null ? ClusterPhase.Pending.name() : r.status().phase;
        return (f.phase() == null || f.phase().equalsIgnoreCase(phase))
                && (f.selector() == null || f.selector().matches(ClusterEntities.selectableLabels(c)))
                && (f.text() == null
                        || c.name.contains(f.text())
                        || (c.displayName != null
                                && c.displayName
                                        .toLowerCase(java.util.Locale.ROOT)
                                        .contains(f.text())));
    }

    private static ProblemException fleetAdminRequired(String name, List<FieldProblem> problems) {
        return new ProblemException(new Problem(
                java.net.URI.create("https://meridian.io/problems/fleet-admin-required"),
                "Forbidden",
                403,
                "Cluster '" + name + "': moving a cluster into or out of prod, or changing the labels of a prod"
                        + " cluster, changes which grants and policies reach it; a fleet-admin must make this change.",
                null,
                problems.stream()
                        .map(p -> new Problem.FieldError(p.field(), p.message()))
                        .toList()));
    }

    private static ProblemException alreadyRegistered(String name) {
        return ProblemException.conflict("A cluster named '" + name + "' is already registered;"
                + " choose another name or update the existing one with PATCH /api/v1/clusters/" + name);
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.hibernate.exception.ConstraintViolationException
                    || (t.getMessage() != null && t.getMessage().contains("23505"))) {
                return true;
            }
        }
        return false;
    }
}
