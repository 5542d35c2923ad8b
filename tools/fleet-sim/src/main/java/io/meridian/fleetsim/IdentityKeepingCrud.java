package io.meridian.fleetsim;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The fabric8 CRUD store, except that an object the simulator itself creates keeps the UID and creation time it was
 * generated with. The mock server would otherwise stamp a global sequential UID and "now" on every create, which
 * breaks determinism across parallel seeding and makes a fleet look a minute old.
 *
 * <p>It also does what the mock lacks and the simulator needs of a real API server: it tells the workload controllers
 * about every stored change of a Deployment or StatefulSet, answers the {@code scale} subresource, and can expire its
 * watches as a compaction would.
 */
final class IdentityKeepingCrud extends KubernetesCrudDispatcher {

    private static final ThreadLocal<Identity> PENDING = new ThreadLocal<>();

    private final AtomicLong resourceVersion = new AtomicLong();
    // The latest deletions, with what they deleted: the store cannot replay a DELETED event to a watch that starts from
    // before one it would have reported, so such a watch is ended at once with a 410 error event and the client lists
    // again. Guarded by itself; beyond the last DELETIONS_KEPT, every watch from before the newest forgotten one is.
    private final java.util.Deque<Deletion> deletions = new java.util.ArrayDeque<>();
    private long forgottenUpTo;

    private record Deletion(long resourceVersion, AttributeSet attributes) {}

    private static final int DELETIONS_KEPT = 4096;
    private final AtomicLong lists = new AtomicLong();
    private final WatchExpiry watches =
            new WatchExpiry(ClusterDispatcher.storeLock(this).readLock(), this::detach);
    // Resolved once, when the store is made: an upgrade of fabric8 that renames it fails the simulator at its start.
    private final Set<?> storeWatches = watchListeners();
    private volatile Consumer<WorkloadChange> workloads;
    private volatile Function<RecordedRequest, MockResponse> objectWrites;
    // The store's objects, indexed by name: fabric8's own map, replaced at construction (see NamedObjects).
    private final NamedObjects objects;
    private final Lock reads = ClusterDispatcher.storeLock(this).readLock();

    IdentityKeepingCrud() {
        super(List.of());
        objects = indexedObjects();
    }

    /**
     * Puts a {@link NamedObjects} in place of the CRUD store's map. fabric8 keeps the map in a final field and offers no
     * way to supply one, hence reflection: an upgrade of fabric8 that renames it fails the simulator at its start.
     */
    private NamedObjects indexedObjects() {
        try {
            Field field = io.fabric8.mockwebserver.crud.CrudDispatcher.class.getDeclaredField("map");
            field.setAccessible(true);
            if (!((Map<?, ?>) field.get(this)).isEmpty()) {
                throw new IllegalStateException("the store holds objects already");
            }
            NamedObjects indexed = new NamedObjects();
            field.set(this, indexed);
            return indexed;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                    "fabric8's CrudDispatcher no longer has the Map 'map' the simulator indexes by name", e);
        }
    }

    /** The object {@code query} names, found by its name rather than by scanning every stored object. */
    @Override
    public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
        return query.containsKey(NamedObjects.NAME) ? objects.findNamed(query) : super.findResource(query);
    }

    /** Runs a create during which the created object keeps {@code uid} and {@code creationTimestamp}. */
    static <T> T keeping(String uid, String creationTimestamp, Supplier<T> create) {
        if (uid == null) {
            return create.get();
        }
        PENDING.set(new Identity(uid, creationTimestamp));
        try {
            return create.get();
        } finally {
            PENDING.remove();
        }
    }

    /**
     * Reports every later stored change of a Deployment or StatefulSet to {@code listener}. It is called with the
     * store's write lock held, so it must only take note and schedule work.
     */
    void onWorkloadChange(Consumer<WorkloadChange> listener) {
        this.workloads = listener;
    }

    /**
     * Where a write of a whole object goes when this store makes one itself (the {@code scale} subresource writes
     * {@code spec.replicas}): the API server's own write path, so it is recorded like any other write. Answers null
     * for a request it does not take, which the CRUD store then answers.
     */
    void writeObjectsThrough(Function<RecordedRequest, MockResponse> writes) {
        this.objectWrites = writes;
    }

    /** The newest resourceVersion the store has handed out (what a list answers as its resourceVersion). */
    long resourceVersion() {
        return resourceVersion.get();
    }

    /** Ends every open watch with a 410 Expired event; watches from older resourceVersions end so for {@code window}. */
    int expireWatches(Duration window) {
        return watches.expireAll(resourceVersion.get(), window);
    }

    int openWatches() {
        return watches.openWatches();
    }

    /** How many list requests (a GET of a collection, not a watch) the store has answered. */
    long listsAnswered() {
        return lists.get();
    }

    @Override
    public long requestResourceVersion() {
        long next = super.requestResourceVersion();
        resourceVersion.accumulateAndGet(next, Math::max);
        return next;
    }

    /** The identity a create running on this thread keeps, or null: the write path stamps it on the new object. */
    static Identity pending() {
        return PENDING.get();
    }

    @Override
    public void processEvent(
            String path,
            AttributeSet pathAttributes,
            AttributeSet oldAttributes,
            GenericKubernetesResource resource,
            String newState) {
        Identity identity = PENDING.get();
        // oldAttributes is null exactly on create; updates keep the stored identity anyway.
        if (identity != null && oldAttributes == null && resource != null && resource.getMetadata() != null) {
            resource.getMetadata().setUid(identity.uid());
            if (identity.creationTimestamp() != null) {
                resource.getMetadata().setCreationTimestamp(identity.creationTimestamp());
            }
            newState = Serialization.asJson(resource);
        }
        Consumer<WorkloadChange> listener = workloads;
        WorkloadChange change = listener == null ? null : workloadChange(path, oldAttributes, resource, newState);
        if (newState == null && oldAttributes != null) {
            // A deletion is a write: it gets a resourceVersion of its own (the store's write lock is held here).
            Deletion deletion = new Deletion(requestResourceVersion(), oldAttributes);
            // The DELETED event carries the object at that resourceVersion, as a real API server's does, so a client
            // that heard of the deletion resumes its watch after it. The mock sent the object as last written, and a
            // client whose watch broke then asked for a version older than the deletion, and was Gone for good.
            map.computeIfPresent(oldAttributes, (key, stored) -> atResourceVersion(stored, deletion.resourceVersion()));
            synchronized (deletions) {
                deletions.addLast(deletion);
                if (deletions.size() > DELETIONS_KEPT) {
                    forgottenUpTo = deletions.removeFirst().resourceVersion();
                }
            }
        }
        super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
        if (change != null) {
            listener.accept(change);
        }
    }

    private static String atResourceVersion(String stored, long resourceVersion) {
        GenericKubernetesResource object = Serialization.unmarshal(stored, GenericKubernetesResource.class);
        if (object == null || object.getMetadata() == null) {
            return stored;
        }
        object.getMetadata().setResourceVersion(String.valueOf(resourceVersion));
        return Serialization.asJson(object);
    }

    /**
     * The resourceVersion of the newest deletion a watch of {@code path} would have to report but cannot (one it
     * matches, newer than the resourceVersion it starts from), or 0: only deletions of what the watch selects count, so
     * deleting a pod never sends a ConfigMap watch back to list.
     */
    private long deletedSince(String path) {
        long requested = WatchExpiry.requestedResourceVersion(path);
        if (requested <= 0) {
            return 0;
        }
        AttributeSet watched = getKey(path);
        synchronized (deletions) {
            if (requested < forgottenUpTo) {
                return forgottenUpTo;
            }
            for (java.util.Iterator<Deletion> newest = deletions.descendingIterator(); newest.hasNext(); ) {
                Deletion deletion = newest.next();
                if (deletion.resourceVersion() <= requested) {
                    return 0;
                }
                if (deletion.attributes().matches(watched)) {
                    return deletion.resourceVersion();
                }
            }
        }
        return 0;
    }

    // Shuts closed watches' listeners down off the HTTP event loop, where waiting for the store's writers would stall
    // every request of the server.
    private static final ExecutorService CLOSER = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("sim-watch-closer-", 0).daemon().factory());

    /**
     * Takes a closed watch's listener out of the store's set of watches at once, so no later write is sent to it, and
     * runs {@code shutdown} once a write in progress (which may still iterate over a set that holds it) is over: the
     * store's writes hold its write lock while they send.
     */
    private void detach(WebSocketListener listener, Runnable shutdown) {
        storeWatches.remove(listener);
        Lock writes = ClusterDispatcher.storeLock(this).writeLock();
        CLOSER.execute(() -> {
            writes.lock();
            writes.unlock();
            shutdown.run();
        });
    }

    /**
     * The store's own set of open watches. fabric8 keeps it private, hence reflection.
     */
    private Set<?> watchListeners() {
        try {
            Field field = KubernetesCrudDispatcher.class.getDeclaredField("watchEventListeners");
            field.setAccessible(true);
            return (Set<?>) field.get(this);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                    "fabric8's KubernetesCrudDispatcher no longer has the Set 'watchEventListeners' the simulator"
                            + " detaches closed watches from",
                    e);
        }
    }

    @Override
    public MockResponse handleWatch(String path) {
        return watches.watch(path, resourceVersion.get(), () -> deletedSince(path), () -> super.handleWatch(path));
    }

    @Override
    public MockResponse handleGet(String path) {
        ScaleSubresource.Target scale = ScaleSubresource.match(path);
        if (scale != null) {
            return ScaleSubresource.get(scale, super::handleGet);
        }
        if (!path.contains("watch=true")) {
            AttributeSet query = getKey(path);
            if (query.containsKey(NamedObjects.NAME)) {
                // One object: answered as fabric8 answers it (its JSON, or a bare 404), found through the index.
                reads.lock();
                try {
                    Map.Entry<AttributeSet, String> found = findResource(query);
                    return found == null
                            ? new MockResponse().setResponseCode(404)
                            : new MockResponse().setResponseCode(200).setBody(found.getValue());
                } finally {
                    reads.unlock();
                }
            }
            lists.incrementAndGet();
        }
        return super.handleGet(path);
    }

    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
        ScaleSubresource.Target scale = ScaleSubresource.match(request.getPath());
        return scale == null ? super.handleUpdate(request) : updateScale(scale, request);
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        ScaleSubresource.Target scale = ScaleSubresource.match(request.getPath());
        return scale == null ? super.handlePatch(request) : updateScale(scale, request);
    }

    private MockResponse updateScale(ScaleSubresource.Target scale, RecordedRequest request) {
        String body = request.getBody() == null ? "" : request.getBody().readUtf8();
        return ScaleSubresource.update(scale, request.getMethod(), body, super::handleGet, (path, object) -> {
            Buffer buffer = new Buffer();
            buffer.writeUtf8(object);
            var headers = io.fabric8.mockwebserver.http.Headers.builder()
                    .add("Content-Type", "application/json")
                    .build();
            RecordedRequest put = new RecordedRequest("HTTP/1.1", HttpMethod.PUT, path, headers, buffer);
            Function<RecordedRequest, MockResponse> writes = objectWrites;
            MockResponse written = writes == null ? null : writes.apply(put);
            return written != null ? written : super.handleUpdate(put);
        });
    }

    /** What a store event means to the workload controllers, or null when it is not about a workload. */
    private WorkloadChange workloadChange(
            String path, AttributeSet oldAttributes, GenericKubernetesResource resource, String newState) {
        WorkloadKey.Kind pathKind = WorkloadKey.Kind.ofPath(path);
        if (newState == null) {
            if (pathKind == null || oldAttributes == null) {
                return null;
            }
            String existing = getMap().get(oldAttributes);
            if (existing == null) {
                return null;
            }
            GenericKubernetesResource gone = Serialization.unmarshal(existing, GenericKubernetesResource.class);
            WorkloadKey.Kind kind = WorkloadKey.Kind.of(gone.getKind());
            return kind == null || gone.getMetadata() == null
                    ? null
                    : new WorkloadChange.Deleted(
                            new WorkloadKey(
                                    kind,
                                    gone.getMetadata().getNamespace(),
                                    gone.getMetadata().getName()),
                            gone.getMetadata().getUid());
        }
        GenericKubernetesResource object = resource;
        if (object == null) {
            if (pathKind == null) {
                return null;
            }
            object = Serialization.unmarshal(newState, GenericKubernetesResource.class);
        }
        WorkloadKey.Kind kind = WorkloadKey.Kind.of(object.getKind());
        if (kind == null || object.getMetadata() == null || !"apps/v1".equals(object.getApiVersion())) {
            return null;
        }
        Long generation = object.getMetadata().getGeneration();
        long observed = 0;
        if (object.getAdditionalProperties().get("status") instanceof Map<?, ?> status
                && status.get("observedGeneration") instanceof Number n) {
            observed = n.longValue();
        }
        return new WorkloadChange.Written(
                new WorkloadKey(
                        kind,
                        object.getMetadata().getNamespace(),
                        object.getMetadata().getName()),
                generation == null ? 1 : generation,
                observed);
    }

    /** The UID and creation time a seeded object keeps. */
    record Identity(String uid, String creationTimestamp) {}
}
