package io.meridian.fleetsim;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import java.lang.reflect.Field;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * The state of one simulated API server: fabric8's CRUD store plus the few fixed answers ({@code /version}), with
 * optional latency. It outlives the HTTP server in front of it, so a cluster that goes down comes back with exactly
 * the objects it holds, including changes made while it was down.
 *
 * <p>Object writes (POST, PUT, PATCH of an object or its {@code status}) go to {@link ObjectWrites}, which does them
 * as a real API server would (server-side apply, managedFields, defaults, no-op writes); everything else goes to the
 * CRUD store as before.
 */
final class ClusterDispatcher extends Dispatcher {

    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final Map<ServerRequest, Queue<ServerResponse>> expectations = new ConcurrentHashMap<>();
    private final MockDispatcher fixedAnswers = new MockDispatcher(expectations);
    private final IdentityKeepingCrud crud = new IdentityKeepingCrud();
    private final ObjectWrites writes;
    private volatile Duration latency = Duration.ZERO;
    private final AtomicLong writeRequests = new AtomicLong();

    ClusterDispatcher() {
        this(Clock.systemUTC());
    }

    /** A dispatcher whose writes stamp creation and managedFields times from {@code clock}. */
    ClusterDispatcher(Clock clock) {
        this.writes = new ObjectWrites(crud, storeWriteLock(crud), clock);
        // The store's own writes (spec.replicas through the scale subresource) take the same path as a client's.
        crud.writeObjectsThrough(writes::handle);
    }

    /** The expectation map a {@code KubernetesMockServer} fills on start; emptied before each restart. */
    Map<ServerRequest, Queue<ServerResponse>> expectations() {
        return expectations;
    }

    IdentityKeepingCrud crud() {
        return crud;
    }

    void latency(Duration latency) {
        this.latency = latency;
    }

    Duration latency() {
        return latency;
    }

    /**
     * How many write requests (create, update, patch, apply, delete) clients sent: over HTTP, and the HPA's scale
     * writes; not the simulator's own (seeding, controllers, status churn, control API changes).
     */
    long writeRequests() {
        return writeRequests.get();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if (WRITES.contains(request.getMethod())) {
            writeRequests.incrementAndGet();
        }
        Queue<ServerResponse> fixed =
                expectations.get(new SimpleRequest(HttpMethod.valueOf(request.getMethod()), request.getPath()));
        MockResponse response = fixed != null && !fixed.isEmpty() ? fixedAnswers.dispatch(request) : answer(request);
        Duration delay = latency;
        // The mock server delays the body on a Vert.x timer: latency without holding a thread.
        if (!delay.isZero() && response.getWebSocketListener() == null) {
            response.setBodyDelay(delay);
        }
        return response;
    }

    /** Answers a request in-process, bypassing HTTP (seeding, the control API, metrics): works while "down". */
    MockResponse local(HttpMethod method, String path, String body, String contentType) {
        var headers = io.fabric8.mockwebserver.http.Headers.builder();
        if (contentType != null) {
            headers.add("Content-Type", contentType);
        }
        var buffer = new io.fabric8.mockwebserver.http.Buffer();
        if (body != null) {
            buffer.writeUtf8(body);
        }
        return answer(new RecordedRequest("HTTP/1.1", method, path, headers.build(), buffer));
    }

    private MockResponse answer(RecordedRequest request) {
        MockResponse written = writes.handle(request);
        return written != null ? written : crud.dispatch(request);
    }

    /**
     * The CRUD store's own read-write lock: a write done outside the store must exclude the store's readers (and the
     * initial listing of a new watch) exactly as the store's writes do, or a GET could miss an object mid-update.
     * fabric8 keeps it private, hence reflection; checked once per cluster, so an upgrade that renames it fails fast.
     */
    private static Lock storeWriteLock(KubernetesCrudDispatcher crud) {
        try {
            Field field = KubernetesCrudDispatcher.class.getDeclaredField("lock");
            field.setAccessible(true);
            return ((ReadWriteLock) field.get(crud)).writeLock();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                    "fabric8's KubernetesCrudDispatcher no longer has the ReadWriteLock 'lock' the simulator shares",
                    e);
        }
    }

    @Override
    public void shutdown() {
        // Deliberately empty: the HTTP server calls this when it stops, and the store must survive an outage.
    }
}
