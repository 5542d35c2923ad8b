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
 * Writes one owner's objects to one cluster. Server-side apply would be the natural call, but the
 * fabric8 mock API servers Meridian is tested against do not implement it, so this keeps its semantics
 * with get + create/update: the owner's manifest replaces every top-level field it names, our labels
 * and annotations are merged into the live ones (other managers' labels stay), an object managed by
 * another owner or by nobody is a Conflict unless the bundle adopts it, and a write happens only when
 * the live object no longer says what the owner wants, so re-applying is free and never changes
 * content twice.
 */
final class BundleApplier {

    /** What applying produced: one outcome per object, and the set now managed for the owner. */
    record Result(List<ObjectOutcome> outcomes, List<AppliedObject> applied) {}

    /** What the drift watch's cache says of an object: unknown, or known to be {@code live} (null: absent). */
    record Cached(boolean known, HasMetadata live) {
        static final Cached UNKNOWN = new Cached(false, null);
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
     * {@code cache} answers the live object as the drift watch last saw it; a write based on a stale copy fails
     * (409: changed meanwhile, or already exists) and is redone from a fresh read. {@code written} hears of every
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

    Result apply(
            String owner,
            boolean adopt,
            List<DesiredObject> desired,
            List<DesiredObject.Invalid> invalid,
            List<AppliedObject> previous) {
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
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (DesiredObject object : desired) {
                writes.add(pool.submit(() -> byKey.put(object.key(), applyOne(owner, adopt, object, true))));
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
                applied.add(new AppliedObject(
                        object.key(),
                        object.ref().apiVersion(),
                        object.ref().kind(),
                        object.ref().namespace(),
                        object.ref().name(),
                        object.contentHash()));
            }
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

    /** Deletes everything the owner has on the cluster (a tombstone). */
    Result deleteAll(String owner, List<AppliedObject> previous) {
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
    boolean isSatisfied(DesiredObject object) {
        try {
            HasMetadata live = client.resource(serialization.convertValue(object.manifest(), HasMetadata.class))
                    .get();
            return live != null
                    && DesiredObject.ownerOf(live.getMetadata().getLabels()) != null
                    && object.isSatisfiedBy(asMap(live));
        } catch (KubernetesClientException e) {
            return false;
        }
    }

    /** Puts one desired object back as the owner wants it, from a fresh read; used for drift repair too. */
    ObjectOutcome applyOne(String owner, boolean adopt, DesiredObject object) {
        return applyOne(owner, adopt, object, false);
    }

    private ObjectOutcome applyOne(String owner, boolean adopt, DesiredObject object, boolean fromCache) {
        try {
            return applyOnce(owner, adopt, object, fromCache);
        } catch (StaleCopy stale) {
            return applyOnce(owner, adopt, object, false);
        }
    }

    /** The cached copy a write was based on was older than the cluster's: redo it from a fresh read. */
    private static final class StaleCopy extends RuntimeException {
        StaleCopy() {
            super(null, null, false, false);
        }
    }

    private ObjectOutcome applyOnce(String owner, boolean adopt, DesiredObject object, boolean fromCache) {
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
                HasMetadata live = cached.known() ? cached.live() : resource.get();
                if (live == null) {
                    try {
                        written.accept(object, resource.create());
                    } catch (KubernetesClientException e) {
                        if (cached.known() && e.getCode() == 409) {
                            throw new StaleCopy(); // there after all: the cache lagged, or does not see it
                        }
                        throw e;
                    }
                    return outcome(apiVersion, kind, namespace, name, Outcome.Created, null);
                }
                String liveOwner = DesiredObject.ownerOf(live.getMetadata().getLabels());
                if (liveOwner == null && !adopt) {
                    return outcome(
                            apiVersion,
                            kind,
                            namespace,
                            name,
                            Outcome.Conflict,
                            "exists and is not managed by Meridian; set adopt: true in the bundle to take it over");
                }
                if (liveOwner != null && !liveOwner.equals(owner)) {
                    return outcome(
                            apiVersion,
                            kind,
                            namespace,
                            name,
                            Outcome.Conflict,
                            "is managed by owner '" + liveOwner + "'");
                }
                Map<String, Object> liveMap = asMap(live);
                if (liveOwner != null && object.isSatisfiedBy(liveMap)) {
                    return outcome(apiVersion, kind, namespace, name, Outcome.Unchanged, null);
                }
                try {
                    written.accept(
                            object,
                            client.resource(serialization.convertValue(
                                            merge(liveMap, object.manifest()), HasMetadata.class))
                                    .update());
                } catch (KubernetesClientException e) {
                    if (cached.known() && e.getCode() == 409) {
                        throw new StaleCopy();
                    }
                    throw e;
                }
                return outcome(
                        apiVersion, kind, namespace, name, Outcome.Patched, liveOwner == null ? "adopted" : null);
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
            if (!DesiredObject.ownedBy(live.getMetadata().getLabels(), owner)) {
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

    /** The live object with the owner's top-level fields replaced and its labels and annotations merged in. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> live, Map<String, Object> desired) {
        Map<String, Object> merged = new HashMap<>(live);
        desired.forEach((field, value) -> {
            if (!field.equals("metadata") && !field.equals("status")) {
                merged.put(field, value);
            }
        });
        Map<String, Object> liveMeta = new HashMap<>((Map<String, Object>) live.get("metadata"));
        Map<String, Object> desiredMeta = (Map<String, Object>) desired.get("metadata");
        for (String part : List.of("labels", "annotations")) {
            Map<String, Object> combined = liveMeta.get(part) instanceof Map<?, ?> m
                    ? new HashMap<>((Map<String, Object>) m)
                    : new HashMap<>();
            if (desiredMeta.get(part) instanceof Map<?, ?> want) {
                combined.putAll((Map<String, Object>) want);
            }
            liveMeta.put(part, combined);
        }
        merged.put("metadata", liveMeta);
        return merged;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> asMap(HasMetadata live) {
        return serialization.convertValue(live, Map.class);
    }

    private static boolean isClusterFailure(KubernetesClientException e) {
        int code = e.getCode();
        return code == 0 || code >= 500 || code == 429;
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
