package io.meridian.placement.persistence;

import io.meridian.contracts.audit.AuditRecord;
import io.meridian.contracts.selector.Production;
import io.meridian.eventing.audit.AuditTrail;
import io.meridian.eventing.sql.MultiRowValues;
import io.meridian.placement.config.PlacementConfig;
import io.meridian.placement.domain.BundleRenderer;
import io.meridian.placement.domain.FieldProblem;
import io.meridian.placement.domain.ManifestRules;
import io.meridian.placement.domain.PlacementDecision;
import io.meridian.placement.domain.Workload;
import io.meridian.placement.domain.WorkloadProgress;
import io.meridian.placement.domain.WorkloadRevision;
import io.meridian.servicekit.Problem;
import io.meridian.servicekit.ProblemException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Placement's workloads, their revisions, decisions and progress. A change through the API is one transaction with
 * its revision and its audit record; the reconciler reads workloads and revisions and keeps decisions and progress
 * here, in its own transactions (the {@code Mutiny.Session} variants let it add its events to the same one).
 */
@ApplicationScoped
public class WorkloadStore {

    /** A live workload with its bookkeeping. */
    public record StoredWorkload(
            Workload workload,
            OffsetDateTime createdAt,
            String createdBy,
            OffsetDateTime updatedAt,
            String updatedBy) {}

    /** The result of a write: the workload as stored afterwards, and whether that made a new generation. */
    public record Change(StoredWorkload stored, boolean changed) {}

    /** One generation of a workload as it was written. */
    public record RevisionInfo(long generation, OffsetDateTime createdAt, String createdBy) {}

    /**
     * Decides inside the write's transaction, with the row locked, whether the caller may make a change: throws (a
     * {@link ProblemException}) to refuse it. {@code current} is null for a create, {@code next} for a delete.
     */
    @FunctionalInterface
    public interface WriteGuard {
        void check(Workload current, Workload next);
    }

    private static final String SELECT =
            "SELECT name, generation, spec, created_at, created_by, updated_at, updated_by FROM workload";
    private static final String LIVE = " WHERE name = :name AND deleted_at IS NULL";

    private final Mutiny.SessionFactory sessions;
    private final AuditTrail audit;
    private final Clock clock;
    private final OperatorCommandStore commands;
    private final int revisionsKept;

    WorkloadStore(
            Mutiny.SessionFactory sessions,
            AuditTrail audit,
            Clock clock,
            OperatorCommandStore commands,
            PlacementConfig config) {
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
        this.commands = commands;
        // A rollback copies the generation before the current one: that one is always kept.
        this.revisionsKept = Math.max(2, config.revisionsKept());
    }

    // ------------------------------------------------------------------ the API's reads

    /** A live workload; 404 when there is none of that name. */
    public Uni<StoredWorkload> get(String name) {
        return sessions.withSession(s -> fetch(s, name, false)).map(stored -> {
            if (stored == null) {
                throw notFound(name);
            }
            return stored;
        });
    }

    /** The generations of a live workload, newest first; 404 when there is none of that name. */
    public Uni<List<RevisionInfo>> revisions(String name) {
        return revisionPage(name, null, Integer.MAX_VALUE).map(Slice::items);
    }

    /** Part of a list in its order, and how many items the whole list holds. */
    public record Slice<T>(List<T> items, long total) {}

    /**
     * Up to {@code fetch} live workloads by name, after {@code afterName} (null: from the first), only those in {@code
     * namespace} when it is not null; with how many there are in all. The rows are read as workloads on a worker
     * thread: a page of large workloads is megabytes of JSON, too much for the event loop.
     */
    public Uni<Slice<StoredWorkload>> page(String namespace, String afterName, int fetch) {
        String where = " WHERE deleted_at IS NULL" + (namespace == null ? "" : " AND namespace = :ns");
        return sessions.withSession(s -> {
                    var count = s.createNativeQuery("SELECT count(*) FROM workload" + where);
                    var select = s.createNativeQuery(
                                    SELECT + where + (afterName == null ? "" : " AND name > :after") + " ORDER BY name",
                                    Object[].class)
                            .setMaxResults(fetch);
                    if (namespace != null) {
                        count.setParameter("ns", namespace);
                        select.setParameter("ns", namespace);
                    }
                    if (afterName != null) {
                        select.setParameter("after", afterName);
                    }
                    return count.getSingleResult()
                            .chain(total -> select.getResultList()
                                    .map(rows -> new Slice<>(rows, ((Number) total).longValue())));
                })
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(rows -> new Slice<>(
                        rows.items().stream().map(WorkloadStore::row).toList(), rows.total()));
    }

    /**
     * Up to {@code fetch} generations of a live workload, newest first, before {@code beforeGeneration} (null: from
     * the newest); with how many there are in all. 404 when there is no live workload of that name.
     */
    public Uni<Slice<RevisionInfo>> revisionPage(String name, Long beforeGeneration, int fetch) {
        String before = beforeGeneration == null ? "" : " AND generation < :before";
        return sessions.withSession(s -> fetch(s, name, false).chain(stored -> {
            if (stored == null) {
                return Uni.createFrom().failure(notFound(name));
            }
            var count = s.createNativeQuery("SELECT count(*) FROM workload_revision WHERE workload = :name")
                    .setParameter("name", name);
            var select = s.createNativeQuery(
                            "SELECT generation, created_at, created_by FROM workload_revision WHERE workload = :name"
                                    + before + " ORDER BY generation DESC",
                            Object[].class)
                    .setParameter("name", name)
                    .setMaxResults(fetch);
            if (beforeGeneration != null) {
                select.setParameter("before", beforeGeneration);
            }
            return count.getSingleResult()
                    .chain(total -> select.getResultList()
                            .map(rows -> new Slice<>(
                                    rows.stream()
                                            .map(r -> new RevisionInfo(
                                                    ((Number) r[0]).longValue(), toOffset(r[1]), (String) r[2]))
                                            .toList(),
                                    ((Number) total).longValue())));
        }));
    }

    // ------------------------------------------------------------------ the API's writes

    /**
     * Creates a workload at generation 1; 409 when a live one has the name. A deleted one of that name comes back
     * with the generation after its last, since clusters may still carry objects annotated with the old ones.
     */
    public Uni<Change> create(Workload workload, String actor, WriteGuard guard) {
        guard.check(null, workload);
        OffsetDateTime now = OffsetDateTime.now(clock);
        return sessions.withTransaction(s -> s.createNativeQuery(
                                "INSERT INTO workload (name, namespace, generation, spec, created_at, created_by,"
                                        + " updated_at, updated_by) VALUES (:name, :ns, 1, :spec, :now, :by, :now, :by)"
                                        + " ON CONFLICT (name) DO NOTHING")
                        .setParameter("name", workload.name())
                        .setParameter("ns", workload.namespace())
                        .setParameter("spec", WorkloadJson.write(at(workload, 1)))
                        .setParameter("now", now)
                        .setParameter("by", actor)
                        .executeUpdate()
                        .chain(inserted -> inserted == 1 ? Uni.createFrom().item(1L) : revive(s, workload, actor, now))
                        .chain(generation -> {
                            Workload stored = at(workload, generation);
                            Map<String, String> details = details(stored);
                            if (generation > 1) {
                                details.put("recreated", "true");
                            }
                            return claimObjects(s, stored)
                                    .chain(() -> addRevision(s, stored, actor, now))
                                    .chain(() -> record(s, "workload.created", stored, details))
                                    .chain(() -> fetch(s, workload.name(), false));
                        }))
                .map(stored -> new Change(stored, true));
    }

    private Uni<Long> revive(Mutiny.Session s, Workload workload, String actor, OffsetDateTime now) {
        return lockRow(s, workload.name(), true).chain(row -> {
            if (row[1] == null) {
                return Uni.createFrom()
                        .failure(ProblemException.conflict("workload '" + workload.name() + "' already exists"));
            }
            long generation = ((Number) row[0]).longValue() + 1;
            return s.createNativeQuery("UPDATE workload SET namespace = :ns, generation = :g, spec = :spec,"
                            + " created_at = :now, created_by = :by, updated_at = :now, updated_by = :by,"
                            + " deleted_at = NULL, deleted_by = NULL WHERE name = :name")
                    .setParameter("name", workload.name())
                    .setParameter("ns", workload.namespace())
                    .setParameter("g", generation)
                    .setParameter("spec", WorkloadJson.write(at(workload, generation)))
                    .setParameter("now", now)
                    .setParameter("by", actor)
                    .executeUpdate()
                    .replaceWith(generation);
        });
    }

    /**
     * Replaces a live workload's declaration; a new generation only when the content differs (the same content again
     * changes nothing and records nothing). 404 when there is no live workload of that name.
     */
    public Uni<Change> replace(Workload next, String actor, WriteGuard guard) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return sessions.withTransaction(s -> lockLive(s, next.name()).chain(current -> {
            guard.check(current.workload(), next);
            List<FieldProblem> unchangeable =
                    ManifestRules.checkChange(current.workload().manifests(), next.manifests());
            if (!unchangeable.isEmpty()) {
                return Uni.createFrom()
                        .failure(ProblemException.invalid(unchangeable.stream()
                                .map(p -> new Problem.FieldError(p.field(), p.message()))
                                .toList()));
            }
            if (WorkloadJson.sameContent(current.workload(), next)) {
                return Uni.createFrom().item(new Change(current, false));
            }
            Workload stored = at(next, current.workload().generation() + 1);
            Map<String, String> details = details(stored);
            details.put("previousGeneration", Long.toString(current.workload().generation()));
            return forgetCommandsIfReachChanged(s, current.workload(), stored)
                    .chain(() -> write(s, stored, actor, now, "workload.updated", details));
        }));
    }

    /**
     * Rolls a live workload back: a new generation with the content of the generation before the current one. 409
     * when there is none (generation 1) or it says the same as the current one.
     */
    public Uni<Change> rollback(String name, String actor, WriteGuard guard) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return sessions.withTransaction(s -> lockLive(s, name).chain(current -> {
            long generation = current.workload().generation();
            if (generation <= 1) {
                return Uni.createFrom()
                        .failure(ProblemException.conflict("workload '" + name + "' is at generation " + generation
                                + ", its first: there is no previous generation to roll back to"));
            }
            return revisionOf(s, name, generation - 1).chain(previous -> {
                if (previous == null) {
                    return Uni.createFrom()
                            .failure(ProblemException.conflict("workload '" + name + "' has no generation "
                                    + (generation - 1) + " to roll back to"));
                }
                Workload restored = at(previous, generation + 1);
                guard.check(current.workload(), restored);
                List<FieldProblem> unchangeable =
                        ManifestRules.checkChange(current.workload().manifests(), restored.manifests());
                if (!unchangeable.isEmpty()) {
                    return Uni.createFrom()
                            .failure(ProblemException.conflict("workload '" + name + "' cannot roll back to"
                                    + " generation " + (generation - 1) + ": "
                                    + unchangeable.getFirst().message()));
                }
                if (WorkloadJson.sameContent(current.workload(), restored)) {
                    return Uni.createFrom()
                            .failure(ProblemException.conflict("generation " + (generation - 1) + " of workload '"
                                    + name + "' says the same as generation " + generation + ": nothing to roll back"));
                }
                Map<String, String> details = details(restored);
                details.put("previousGeneration", Long.toString(generation));
                details.put("restoredGeneration", Long.toString(generation - 1));
                return forgetCommandsIfReachChanged(s, current.workload(), restored)
                        .chain(() -> write(s, restored, actor, now, "workload.rolled-back", details));
            });
        }));
    }

    /**
     * Deletes a live workload: it leaves every cluster with the next reconcile. Its row stays, marked deleted, so its
     * generations continue if it comes back; its history is in the audit stream, and its revisions go once it has left
     * every cluster ({@link #forget}).
     */
    public Uni<StoredWorkload> delete(String name, String actor, WriteGuard guard) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return sessions.withTransaction(s -> lockLive(s, name).chain(current -> {
            guard.check(current.workload(), null);
            return s.createNativeQuery("UPDATE workload SET deleted_at = :now, deleted_by = :by WHERE name = :name")
                    .setParameter("name", name)
                    .setParameter("now", now)
                    .setParameter("by", actor)
                    .executeUpdate()
                    .chain(() -> releaseObjects(s, name))
                    .chain(() -> record(s, "workload.deleted", current.workload(), details(current.workload())))
                    .replaceWith(current);
        }));
    }

    /**
     * An operator's resume or failover/failback approval was given for the workload as it reached then; once it can
     * reach production clusters or no longer can, that approval is for another workload and must be asked again.
     */
    private Uni<Void> forgetCommandsIfReachChanged(Mutiny.Session s, Workload current, Workload next) {
        boolean before = Production.reachableBy(current.placement().clusterSelector());
        boolean after = Production.reachableBy(next.placement().clusterSelector());
        return before == after ? Uni.createFrom().voidItem() : commands.forget(s, current.name());
    }

    private Uni<Change> write(
            Mutiny.Session s,
            Workload stored,
            String actor,
            OffsetDateTime now,
            String action,
            Map<String, String> details) {
        return s.createNativeQuery("UPDATE workload SET namespace = :ns, generation = :g, spec = :spec,"
                        + " updated_at = :now, updated_by = :by WHERE name = :name")
                .setParameter("name", stored.name())
                .setParameter("ns", stored.namespace())
                .setParameter("g", stored.generation())
                .setParameter("spec", WorkloadJson.write(stored))
                .setParameter("now", now)
                .setParameter("by", actor)
                .executeUpdate()
                .chain(() -> claimObjects(s, stored))
                .chain(() -> addRevision(s, stored, actor, now))
                .chain(() -> record(s, action, stored, details))
                .chain(() -> fetch(s, stored.name(), false))
                .map(after -> new Change(after, true));
    }

    /**
     * Makes {@code w}'s manifests the objects it declares, in the write's transaction; 409 naming the other workload
     * when a live one already declares the same namespace, kind and name. The primary key decides between two
     * concurrent writes: the second insert waits for the first transaction and then finds the object taken.
     */
    private static Uni<Void> claimObjects(Mutiny.Session s, Workload w) {
        Uni<Void> chain = releaseObjects(s, w.name());
        for (Map<String, Object> manifest : w.manifests()) {
            String kind = String.valueOf(manifest.get("kind"));
            String name = manifest.get("metadata") instanceof Map<?, ?> metadata
                    ? String.valueOf(metadata.get("name"))
                    : "null";
            chain = chain.chain(
                            () -> s.createNativeQuery("INSERT INTO workload_object (namespace, kind, name, workload)"
                                            + " VALUES (:ns, :kind, :name, :w) ON CONFLICT (namespace, kind, name)"
                                            + " DO NOTHING")
                                    .setParameter("ns", w.namespace())
                                    .setParameter("kind", kind)
                                    .setParameter("name", name)
                                    .setParameter("w", w.name())
                                    .executeUpdate())
                    .chain(inserted -> inserted == 1
                            ? Uni.createFrom().voidItem()
                            : holder(s, w.namespace(), kind, name)
                                    .chain(other -> Uni.createFrom()
                                            .failure(ProblemException.conflict(kind + "/" + name + " in namespace '"
                                                    + w.namespace() + "' is already declared by workload '" + other
                                                    + "': two workloads sharing an object would overwrite each other"
                                                    + " on every cluster they share; rename it, or move it into"
                                                    + " workload '" + other + "'"))));
        }
        return chain;
    }

    private static Uni<String> holder(Mutiny.Session s, String namespace, String kind, String name) {
        return s.createNativeQuery(
                        "SELECT workload FROM workload_object WHERE namespace = :ns AND kind = :kind AND name = :name",
                        String.class)
                .setParameter("ns", namespace)
                .setParameter("kind", kind)
                .setParameter("name", name)
                .getResultList()
                .map(rows -> rows.isEmpty() ? "(one being written now)" : rows.getFirst());
    }

    private static Uni<Void> releaseObjects(Mutiny.Session s, String workload) {
        return s.createNativeQuery("DELETE FROM workload_object WHERE workload = :w")
                .setParameter("w", workload)
                .executeUpdate()
                .replaceWithVoid();
    }

    private Uni<Integer> addRevision(Mutiny.Session s, Workload stored, String actor, OffsetDateTime now) {
        return s.createNativeQuery("INSERT INTO workload_revision (workload, generation, spec, created_at, created_by)"
                        + " VALUES (:name, :g, :spec, :now, :by)")
                .setParameter("name", stored.name())
                .setParameter("g", stored.generation())
                .setParameter("spec", WorkloadJson.write(stored))
                .setParameter("now", now)
                .setParameter("by", actor)
                .executeUpdate()
                .call(() -> pruneRevisions(s, stored.name(), stored.generation()));
    }

    /**
     * Forgets the revisions of a workload older than the newest {@code meridian.placement.revisions-kept} (counted
     * from {@code current}), except those still in use: a generation a cluster was told to run or has applied, one
     * the rollout or an assignment names, and the one the last decision was made for. Returns how many went.
     */
    public Uni<Integer> pruneRevisions(Mutiny.Session s, String name, long current) {
        long floor = current - revisionsKept;
        if (floor < 1) {
            return Uni.createFrom().item(0);
        }
        return progress(s, name).chain(progress -> {
            TreeSet<Long> pinned = new TreeSet<>();
            progress.ifPresent(p -> {
                pinned.add(p.rollout().targetGeneration());
                pinned.add(p.rollout().stableGeneration());
                p.assignments().values().forEach(a -> pinned.add(a.generation()));
            });
            pinned.removeIf(g -> g > floor);
            StringBuilder sql = new StringBuilder("DELETE FROM workload_revision r WHERE r.workload = :name"
                    + " AND r.generation <= :floor"
                    + " AND NOT EXISTS (SELECT 1 FROM placement_decision d WHERE d.workload = r.workload"
                    + " AND d.generation = r.generation)"
                    + " AND NOT EXISTS (SELECT 1 FROM workload_cluster c WHERE c.workload = r.workload"
                    + " AND r.generation IN (c.declared_generation, c.applied_generation))");
            if (!pinned.isEmpty()) {
                sql.append(" AND r.generation NOT IN (")
                        .append(MultiRowValues.of(":pinned#", pinned.size()))
                        .append(')');
            }
            Mutiny.Query<?> query = s.createNativeQuery(sql.toString())
                    .setParameter("name", name)
                    .setParameter("floor", floor);
            int i = 0;
            for (long g : pinned) {
                query.setParameter("pinned" + i++, g);
            }
            return query.executeUpdate();
        });
    }

    private Uni<AuditRecord> record(Mutiny.Session s, String action, Workload w, Map<String, String> details) {
        return audit.record(
                s, action, new AuditRecord.Target("Workload", w.name(), null), AuditRecord.Outcome.success, details);
    }

    /** What an audit record says about a workload: enough to tell generations apart and see what reached prod. */
    private static Map<String, String> details(Workload w) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("generation", Long.toString(w.generation()));
        details.put("namespace", w.namespace());
        details.put(
                "objects",
                String.join(
                        ",",
                        new TreeSet<>(w.manifests().stream()
                                .map(BundleRenderer::reference)
                                .toList())));
        details.put("clusterSelector", w.placement().clusterSelector().toString());
        details.put(
                "reachesProd",
                Boolean.toString(Production.reachableBy(w.placement().clusterSelector())));
        return details;
    }

    // ------------------------------------------------------------------ the reconciler's reads and writes

    /** A live workload at its current generation; empty when there is none (never created, or deleted). */
    public Uni<Optional<Workload>> find(String name) {
        return sessions.withSession(s -> find(s, name));
    }

    public Uni<Optional<Workload>> find(Mutiny.Session s, String name) {
        return fetch(s, name, false).map(stored -> Optional.ofNullable(stored).map(StoredWorkload::workload));
    }

    /**
     * A live workload with its row locked until the caller's transaction ends: a command checked against it cannot
     * race a write that changes who may move it.
     */
    public Uni<Optional<Workload>> findForUpdate(Mutiny.Session s, String name) {
        return fetch(s, name, true).map(stored -> Optional.ofNullable(stored).map(StoredWorkload::workload));
    }

    /** Every live workload at its current generation, by name. */
    public Uni<List<Workload>> findAll() {
        return sessions.withSession(this::findAll);
    }

    public Uni<List<Workload>> findAll(Mutiny.Session s) {
        return s.createNativeQuery(SELECT + " WHERE deleted_at IS NULL ORDER BY name", Object[].class)
                .getResultList()
                .map(rows -> rows.stream().map(r -> row(r).workload()).toList());
    }

    /** What one generation of a workload puts on a cluster, also of a deleted workload; empty if never written. */
    public Uni<Optional<WorkloadRevision>> revision(String name, long generation) {
        return sessions.withSession(s -> revision(s, name, generation));
    }

    public Uni<Optional<WorkloadRevision>> revision(Mutiny.Session s, String name, long generation) {
        return revisionOf(s, name, generation).map(w -> Optional.ofNullable(w).map(WorkloadRevision::of));
    }

    /** The whole declaration of one generation (placement, rollout and failover included); empty if never written. */
    public Uni<Optional<Workload>> atGeneration(Mutiny.Session s, String name, long generation) {
        return revisionOf(s, name, generation).map(Optional::ofNullable);
    }

    /**
     * What placement holds of one workload, read in one statement for a reconcile or a view of it.
     *
     * @param workload the live declaration at its current generation; empty when never created or deleted
     * @param decision the scheduler's last decision; empty before the first
     * @param progress what each cluster runs and the rollout; empty when it was never placed
     */
    public record State(
            Optional<Workload> workload, Optional<PlacementDecision> decision, Optional<WorkloadProgress> progress) {}

    /** The live declaration, the last decision and the progress of a workload, in one statement. */
    public Uni<State> state(Mutiny.Session s, String name) {
        return s.createNativeQuery(
                        "SELECT w.generation, w.spec,"
                                + " (SELECT decision FROM placement_decision WHERE workload = k.name),"
                                + " (SELECT progress FROM workload_progress WHERE workload = k.name)"
                                + " FROM (SELECT CAST(:name AS TEXT) AS name) AS k"
                                + " LEFT JOIN workload w ON w.name = k.name AND w.deleted_at IS NULL",
                        Object[].class)
                .setParameter("name", name)
                .getSingleResult()
                .map(r -> new State(
                        Optional.ofNullable((String) r[1])
                                .map(spec -> at(
                                        WorkloadJson.read(spec, Workload.class, "workload " + name),
                                        ((Number) r[0]).longValue())),
                        Optional.ofNullable((String) r[2])
                                .map(json -> WorkloadJson.read(
                                        json, PlacementDecision.class, "the decision of workload " + name)),
                        Optional.ofNullable((String) r[3])
                                .map(json -> WorkloadJson.read(
                                        json, WorkloadProgress.class, "the progress of workload " + name))));
    }

    /** The last decision of the scheduler for a workload; empty before the first. */
    public Uni<Optional<PlacementDecision>> decision(Mutiny.Session s, String workload) {
        return s.createNativeQuery("SELECT decision FROM placement_decision WHERE workload = :w", String.class)
                .setParameter("w", workload)
                .getResultList()
                .map(rows -> rows.stream()
                        .findFirst()
                        .map(json -> WorkloadJson.read(
                                json, PlacementDecision.class, "the decision of workload " + workload)));
    }

    public Uni<Void> saveDecision(Mutiny.Session s, PlacementDecision decision) {
        return s.createNativeQuery("INSERT INTO placement_decision (workload, generation, decision, decided_at)"
                        + " VALUES (:w, :g, :d, :at) ON CONFLICT (workload) DO UPDATE SET"
                        + " generation = EXCLUDED.generation, decision = EXCLUDED.decision,"
                        + " decided_at = EXCLUDED.decided_at")
                .setParameter("w", decision.workload())
                .setParameter("g", decision.generation())
                .setParameter("d", WorkloadJson.write(decision))
                .setParameter("at", offset(decision.decidedAt() == null ? clock.instant() : decision.decidedAt()))
                .executeUpdate()
                .replaceWithVoid();
    }

    /** What each cluster runs of a workload and its rollout; empty when it was never placed. */
    public Uni<Optional<WorkloadProgress>> progress(Mutiny.Session s, String workload) {
        return s.createNativeQuery("SELECT progress FROM workload_progress WHERE workload = :w", String.class)
                .setParameter("w", workload)
                .getResultList()
                .map(rows -> rows.stream()
                        .findFirst()
                        .map(json -> WorkloadJson.read(
                                json, WorkloadProgress.class, "the progress of workload " + workload)));
    }

    /** The progress of each of the workloads that was ever placed, by name; one statement for all of them. */
    public Uni<Map<String, WorkloadProgress>> progresses(Mutiny.Session s, Collection<String> names) {
        // Made per subscription: a Uni run again starts from nothing.
        return Uni.createFrom().deferred(() -> {
            Map<String, WorkloadProgress> progress = new HashMap<>();
            return Slices.each(Slices.sorted(names), slice -> {
                        var query = s.createNativeQuery(
                                "SELECT workload, progress FROM workload_progress WHERE workload IN ("
                                        + Slices.parameters("w", slice.size())
                                        + ")",
                                Object[].class);
                        Slices.bind(query::setParameter, "w", slice);
                        return query.getResultList().invoke(rows -> {
                            for (Object[] row : rows) {
                                progress.put(
                                        (String) row[0],
                                        WorkloadJson.read(
                                                (String) row[1],
                                                WorkloadProgress.class,
                                                "the progress of workload " + row[0]));
                            }
                        });
                    })
                    .replaceWith(progress);
        });
    }

    /** Stores a workload's progress and when to look at it again without an event (null: only an event). */
    public Uni<Void> saveProgress(Mutiny.Session s, String workload, WorkloadProgress progress, Instant wakeAt) {
        return s.createNativeQuery("INSERT INTO workload_progress (workload, progress, wake_at, updated_at)"
                        + " VALUES (:w, :p, :wake, :now) ON CONFLICT (workload) DO UPDATE SET"
                        + " progress = EXCLUDED.progress, wake_at = EXCLUDED.wake_at, updated_at = EXCLUDED.updated_at")
                .setParameter("w", workload)
                .setParameter("p", WorkloadJson.write(progress))
                .setParameter("wake", wakeAt == null ? null : offset(wakeAt))
                .setParameter("now", OffsetDateTime.now(clock))
                .executeUpdate()
                .replaceWithVoid();
    }

    /** The workloads whose wake-up time has come, by name. */
    public Uni<List<String>> due(Mutiny.Session s, Instant now) {
        return s.createNativeQuery(
                        "SELECT workload FROM workload_progress WHERE wake_at <= :now ORDER BY workload", String.class)
                .setParameter("now", offset(now))
                .getResultList();
    }

    /**
     * The workloads placement still holds state of (a decision or progress) that are not live any more: deleted ones
     * whose objects the reconciler has yet to withdraw.
     */
    public Uni<List<String>> withdrawing(Mutiny.Session s) {
        return s.createNativeQuery(
                        "SELECT workload FROM (SELECT workload FROM placement_decision UNION SELECT workload FROM"
                                + " workload_progress) AS held WHERE NOT EXISTS (SELECT 1 FROM workload w WHERE"
                                + " w.name = held.workload AND w.deleted_at IS NULL) ORDER BY workload",
                        String.class)
                .getResultList();
    }

    /**
     * Forgets the decision and progress of a workload whose objects left every cluster and, when it is deleted, its
     * revisions: nothing renders them any more, and a workload created again under the name continues from its
     * row's generation, not from them.
     */
    public Uni<Void> forget(Mutiny.Session s, String workload) {
        return s.createNativeQuery("DELETE FROM placement_decision WHERE workload = :w")
                .setParameter("w", workload)
                .executeUpdate()
                .chain(() -> s.createNativeQuery("DELETE FROM workload_progress WHERE workload = :w")
                        .setParameter("w", workload)
                        .executeUpdate())
                .chain(() -> s.createNativeQuery("DELETE FROM workload_revision WHERE workload = :w AND EXISTS"
                                + " (SELECT 1 FROM workload WHERE name = :w AND deleted_at IS NOT NULL)")
                        .setParameter("w", workload)
                        .executeUpdate())
                .replaceWithVoid();
    }

    // ------------------------------------------------------------------ rows

    private Uni<StoredWorkload> lockLive(Mutiny.Session s, String name) {
        return fetch(s, name, true).map(stored -> {
            if (stored == null) {
                throw notFound(name);
            }
            return stored;
        });
    }

    /** The generation and deleted_at of a workload row, locked; the row exists (the caller's insert conflicted). */
    private static Uni<Object[]> lockRow(Mutiny.Session s, String name, boolean forUpdate) {
        return s.createNativeQuery(
                        "SELECT generation, deleted_at FROM workload WHERE name = :name"
                                + (forUpdate ? " FOR UPDATE" : ""),
                        Object[].class)
                .setParameter("name", name)
                .getSingleResult();
    }

    private static Uni<StoredWorkload> fetch(Mutiny.Session s, String name, boolean forUpdate) {
        return s.createNativeQuery(SELECT + LIVE + (forUpdate ? " FOR UPDATE" : ""), Object[].class)
                .setParameter("name", name)
                .getResultList()
                .map(rows -> rows.isEmpty() ? null : row(rows.getFirst()));
    }

    private static Uni<Workload> revisionOf(Mutiny.Session s, String name, long generation) {
        return s.createNativeQuery(
                        "SELECT spec FROM workload_revision WHERE workload = :name AND generation = :g", String.class)
                .setParameter("name", name)
                .setParameter("g", generation)
                .getResultList()
                .map(rows -> rows.isEmpty()
                        ? null
                        : WorkloadJson.read(
                                rows.getFirst(), Workload.class, "generation " + generation + " of workload " + name));
    }

    private static StoredWorkload row(Object[] r) {
        Workload w = WorkloadJson.read((String) r[2], Workload.class, "workload " + r[0]);
        return new StoredWorkload(
                at(w, ((Number) r[1]).longValue()), toOffset(r[3]), (String) r[4], toOffset(r[5]), (String) r[6]);
    }

    /** {@code w} at generation {@code generation}. */
    static Workload at(Workload w, long generation) {
        return new Workload(
                w.name(),
                w.namespace(),
                generation,
                w.manifests(),
                w.placement(),
                w.rollout(),
                w.failover(),
                w.overrides());
    }

    private static ProblemException notFound(String name) {
        return ProblemException.notFound("workload '" + name + "'");
    }

    private static OffsetDateTime offset(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static OffsetDateTime toOffset(Object value) {
        return switch (value) {
            case null -> null;
            case OffsetDateTime o -> o;
            case Instant i -> i.atOffset(ZoneOffset.UTC);
            case java.time.LocalDateTime l -> l.atOffset(ZoneOffset.UTC);
            case java.sql.Timestamp t -> t.toInstant().atOffset(ZoneOffset.UTC);
            default -> throw new IllegalStateException("unexpected timestamp type " + value.getClass());
        };
    }
}
