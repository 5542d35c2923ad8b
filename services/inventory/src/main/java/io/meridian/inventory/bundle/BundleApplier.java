package io.meridian.inventory.bundle;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.meridian.contracts.sync.ObjectOutcome;
import io.meridian.contracts.sync.ObjectOutcome.Outcome;
import io.meridian.inventory.persistence.BundleStore.AppliedObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Writes one owner's objects to one cluster by server-side apply, as field manager {@code meridian-<owner>}: the
 * server merges what we send into the object, so fields other managers own (an HPA's replicas, an injected sidecar, a
 * cloud controller's load-balancer IP) stay theirs, and the defaults it adds are its own. An object is ours when it
 * carries our owner label and our manager owns fields of it; one that exists and is not ours is a Conflict unless the
 * bundle adopts it. A write happens only when the live object no longer holds what the owner wants
 * ({@link AppliedFields}), so re-applying is free. Conflicts are forced only when the bundle adopts, or when the object
 * is ours and we put back exactly what we applied before (the owner's content is unchanged: drift repair); a new
 * claim on a field another manager owns is a Conflict naming the manager and the field.
 */
final class BundleApplier {

    /** What applying produced: one outcome per object, and the set now managed for the owner. */
    record Result(List<ObjectOutcome> outcomes, List<AppliedObject> applied) {}

    /**
     * What the drift watch's cache says of an object: unknown, or known to be {@code live} (null: absent).
     * {@code complete} when the cache holds every object of the kind, not only Meridian's, so that an absence there
     * is an absence on the cluster (as far as the watch has caught up).
     */
    record Cached(boolean known, HasMetadata live, boolean complete) {
        static final Cached UNKNOWN = new Cached(false, null, false);
    }

    /** Thrown for failures of the cluster rather than of one object: the whole bundle is retried. */
    static final class ClusterUnavailable extends RuntimeException {
        ClusterUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final KubernetesClient client;
    private final KubernetesSerialization serialization;
    private final Semaphore writes;

    private final ExecutorService pool;
    private final Function<DesiredObject, Cached> cache;
    private final BiConsumer<DesiredObject, HasMetadata> written;

    /**
     * {@code cache} answers the live object as the drift watch last saw it (an absence it cannot vouch for is
     * confirmed by a read);
     * a write based on a stale copy that fails with 409 is redone from a fresh read. {@code written} hears of every
     * object as the API server stored it after our write, so the watch can tell our own writes from drift.
     */
    BundleApplier(
            KubernetesClient client,
            int concurrentWrites,
            ExecutorService pool,
            Function<DesiredObject, Cached> cache,
            BiConsumer<DesiredObject, HasMetadata> written) {
        this.client = client;
        this.pool = pool;
        this.cache = cache;
        this.written = written;
        this.serialization = client.getKubernetesSerialization();
        this.writes = new Semaphore(concurrentWrites);
    }

    /**
     * Applies the owner's objects and prunes those that left the bundle; {@code beforeDeleting} runs before the first
     * deletion and may refuse it by throwing (the engine checks there that the cluster is still this replica's).
     * {@code leaveAlone}: keys of objects whose reported drift stays (driftPolicy report): such an object, changed or
     * deleted on the cluster, is left as it is, Unchanged with the reason.
     */
    Result apply(
            String owner,
            boolean adopt,
            Set<String> leaveAlone,
            List<DesiredObject> desired,
            List<DesiredObject.Invalid> invalid,
            List<AppliedObject> previous,
            Runnable beforeDeleting) {
        List<ObjectOutcome> outcomes = new ArrayList<>();
        List<AppliedObject> applied = new ArrayList<>();
        invalid.forEach(i -> outcomes.add(outcome(
                i.ref().apiVersion(),
                i.ref().kind(),
                i.ref().namespace(),
                i.ref().name(),
                Outcome.Failed,
                i.reason())));

        Map<String, ObjectOutcome> byKey = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, String> appliedHashes = new HashMap<>();
        previous.forEach(p -> appliedHashes.put(p.key(), p.contentHash()));
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (DesiredObject object : desired) {
                String appliedHash = appliedHashes.get(object.key());
                writes.add(pool.submit(() -> byKey.put(
                        object.key(),
                        applyOne(owner, adopt, object, appliedHash, true, leaveAlone.contains(object.key())))));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterUnavailable("interrupted while applying", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ClusterUnavailable unavailable) {
                throw unavailable;
            }
            throw new ClusterUnavailable(String.valueOf(e.getCause()), e.getCause());
        }
        Set<String> wanted = new HashSet<>();
        for (DesiredObject object : desired) {
            ObjectOutcome outcome = byKey.get(object.key());
            outcomes.add(outcome);
            wanted.add(object.key());
            if (outcome.outcome() == Outcome.Created
                    || outcome.outcome() == Outcome.Patched
                    || outcome.outcome() == Outcome.Unchanged) {
                applied.add(object.applied());
            }
        }
        if (previous.stream().anyMatch(p -> !wanted.contains(p.key()))) {
            beforeDeleting.run();
        }
        for (AppliedObject stale : previous) {
            if (wanted.contains(stale.key())) {
                // still wanted but failed this time: keep remembering it so it can be pruned later
                if (applied.stream().noneMatch(a -> a.key().equals(stale.key()))) {
                    applied.add(stale);
                }
                continue;
            }
            ObjectOutcome pruned = prune(owner, stale);
            if (pruned.outcome() == Outcome.Failed) {
                applied.add(stale);
            }
            if (pruned.outcome() != Outcome.Unchanged) {
                outcomes.add(pruned);
            }
        }
        return new Result(outcomes, applied);
    }

    /** Deletes everything the owner has on the cluster (a tombstone); {@code beforeDeleting} may still refuse. */
    Result deleteAll(String owner, List<AppliedObject> previous, Runnable beforeDeleting) {
        if (!previous.isEmpty()) {
            beforeDeleting.run();
        }
        List<ObjectOutcome> outcomes = new ArrayList<>();
        List<AppliedObject> remaining = new ArrayList<>();
        for (AppliedObject object : previous) {
            ObjectOutcome pruned = prune(owner, object);
            outcomes.add(pruned);
            if (pruned.outcome() == Outcome.Failed) {
                remaining.add(object);
            }
        }
        return new Result(outcomes, remaining);
    }

    /** Whether the cluster holds the object as the owner wants it. */
    boolean isSatisfied(String owner, DesiredObject object) {
        try {
            HasMetadata live = client.resource(serialization.convertValue(object.manifest(), HasMetadata.class))
                    .get();
            return live != null && isOurs(live, owner) && object.isSatisfiedBy(asMap(live));
        } catch (KubernetesClientException e) {
            return false;
        }
    }

    /**
     * Puts one desired object back as the owner wants it, from a fresh read: drift repair. {@code appliedHash} is the
     * content we last applied for it (null: none), which decides whether fields taken by others are taken back.
     */
    ObjectOutcome applyOne(String owner, boolean adopt, DesiredObject object, String appliedHash) {
        return applyOne(owner, adopt, object, appliedHash, false, false);
    }

    private ObjectOutcome applyOne(
            String owner,
            boolean adopt,
            DesiredObject object,
            String appliedHash,
            boolean fromCache,
            boolean leaveDrift) {
        try {
            return applyOnce(owner, adopt, object, fromCache, appliedHash, leaveDrift);
        } catch (StaleCopy stale) {
            return applyOnce(owner, adopt, object, false, appliedHash, leaveDrift);
        }
    }

    /** The cached copy a write was based on was older than the cluster's: redo it from a fresh read. */
    private static final class StaleCopy extends RuntimeException {
        StaleCopy() {
            super(null, null, false, false);
        }
    }

    private ObjectOutcome applyOnce(
            String owner,
            boolean adopt,
            DesiredObject object,
            boolean fromCache,
            String appliedHash,
            boolean leaveDrift) {
        String apiVersion = object.ref().apiVersion();
        String kind = object.ref().kind();
        String namespace = object.ref().namespace();
        String name = object.ref().name();
        try {
            writes.acquire();
            try {
                HasMetadata desired = serialization.convertValue(object.manifest(), HasMetadata.class);
                Resource<HasMetadata> resource = client.resource(desired);
                Cached cached = fromCache ? cache.apply(object) : Cached.UNKNOWN;
                // An apply creates or merges, so an absence in a cache that does not see unmanaged objects (a
                // label-filtered drift watch) is confirmed by the API server: else we would merge into someone else's.
                boolean trusted = cached.known() && (cached.live() != null || cached.complete());
                HasMetadata live = trusted ? cached.live() : resource.get();
                boolean ours = false;
                if (live != null) {
                    String liveOwner = DesiredObject.ownerOf(live.getMetadata().getLabels());
                    ours = isOurs(live, owner);
                    if (liveOwner != null && !liveOwner.equals(owner)) {
                        return outcome(
                                apiVersion,
                                kind,
                                namespace,
                                name,
                                Outcome.Conflict,
                                "is managed by owner '" + liveOwner + "'");
                    }
                    if (!ours && !adopt) {
                        return outcome(
                                apiVersion,
                                kind,
                                namespace,
                                name,
                                Outcome.Conflict,
                                "exists and is not managed by Meridian (field managers: "
                                        + FieldManagers.describe(live)
                                        + "); set adopt: true in the bundle to take it over");
                    }
                    if (ours && object.isSatisfiedBy(asMap(live))) {
                        return outcome(apiVersion, kind, namespace, name, Outcome.Unchanged, null);
                    }
                }
                if (leaveDrift) {
                    String left = live == null
                            ? "deleted on the cluster; left deleted (driftPolicy report)"
                            : "changed on the cluster; left as it is (driftPolicy report)";
                    return outcome(apiVersion, kind, namespace, name, Outcome.Unchanged, left);
                }
                // Forced only to take an object over, or to put back exactly what we applied before.
                boolean force = adopt || (ours && object.contentHash().equals(appliedHash));
                try {
                    var apply = resource.fieldManager(FieldManagers.of(owner));
                    written.accept(object, (force ? apply.forceConflicts() : apply).serverSideApply());
                } catch (KubernetesClientException e) {
                    if (e.getCode() == 409 && FieldManagers.isApplyConflict(e)) {
                        return outcome(apiVersion, kind, namespace, name, Outcome.Conflict, FieldManagers.conflicts(e));
                    }
                    if (cached.known() && e.getCode() == 409) {
                        throw new StaleCopy(); // changed meanwhile: decide again from a fresh read
                    }
                    throw e;
                }
                Outcome result = live == null ? Outcome.Created : Outcome.Patched;
                return outcome(apiVersion, kind, namespace, name, result, live != null && !ours ? "adopted" : null);
            } finally {
                writes.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterUnavailable("interrupted", e);
        } catch (KubernetesClientException e) {
            if (isClusterFailure(e)) {
                throw new ClusterUnavailable(kind + " " + name + ": " + reason(e), e);
            }
            return outcome(apiVersion, kind, namespace, name, Outcome.Failed, reason(e));
        } catch (IllegalArgumentException | IllegalStateException e) {
            return outcome(apiVersion, kind, namespace, name, Outcome.Failed, "not a valid object: " + e.getMessage());
        }
    }

    private ObjectOutcome prune(String owner, AppliedObject object) {
        try {
            GenericKubernetesResource ref = new GenericKubernetesResource();
            ref.setApiVersion(object.apiVersion());
            ref.setKind(object.kind());
            ref.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                    .withName(object.name())
                    .withNamespace(object.namespace())
                    .build());
            HasMetadata typed = serialization.convertValue(ref, HasMetadata.class);
            Resource<HasMetadata> resource = client.resource(typed);
            HasMetadata live = resource.get();
            if (live == null) {
                return outcome(
                        object.apiVersion(), object.kind(), object.namespace(), object.name(), Outcome.Unchanged, null);
            }
            if (!isOurs(live, owner)) {
                // Someone took it over meanwhile: not ours to delete any more.
                return outcome(
                        object.apiVersion(), object.kind(), object.namespace(), object.name(), Outcome.Unchanged, null);
            }
            resource.delete();
            return outcome(
                    object.apiVersion(), object.kind(), object.namespace(), object.name(), Outcome.Deleted, null);
        } catch (KubernetesClientException e) {
            if (isClusterFailure(e)) {
                throw new ClusterUnavailable(object.kind() + " " + object.name() + ": " + reason(e), e);
            }
            return outcome(
                    object.apiVersion(), object.kind(), object.namespace(), object.name(), Outcome.Failed, reason(e));
        }
    }

    /**
     * Whether Meridian manages {@code live} for {@code owner}: our field manager owns fields of it, and no other
     * owner's label is on it. A label alone is not ownership (anyone who can write a label could make us adopt or
     * prune an object), and a label taken off by someone else does not make our fields theirs.
     */
    static boolean isOurs(HasMetadata live, String owner) {
        String labelled = DesiredObject.ownerOf(live.getMetadata().getLabels());
        return (labelled == null || labelled.equals(owner)) && FieldManagers.manages(live, owner);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> asMap(HasMetadata live) {
        return serialization.convertValue(live, Map.class);
    }

    /**
     * Whether the failure is the cluster's (no answer, a server error, throttling), retried for the whole run, rather
     * than an answer about the object. fabric8 gives a request that got no answer code 0 or -1 (a laundered I/O error).
     */
    private static boolean isClusterFailure(KubernetesClientException e) {
        int code = e.getCode();
        return code <= 0 || code >= 500 || code == 429;
    }

    private static String reason(KubernetesClientException e) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage()
                : e.getMessage();
        return (e.getCode() > 0 ? "HTTP " + e.getCode() + ": " : "") + message;
    }

    private static ObjectOutcome outcome(
            String apiVersion, String kind, String namespace, String name, Outcome outcome, String reason) {
        return new ObjectOutcome(apiVersion, kind, namespace, name, outcome, reason);
    }
}
