package io.meridian.fleetsim;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.lang.reflect.Field;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
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
    private static final com.fasterxml.jackson.databind.ObjectMapper STATUS_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    // The root paths fabric8's mock server answered; the simulator has always listed these two.
    private static final String ROOT_PATHS = "{\"paths\":[\"/api\",\"/apis/extensions\"]}";

    private volatile String version = "{}";
    private final IdentityKeepingCrud crud = new IdentityKeepingCrud();
    private final ObjectWrites writes;
    private volatile Duration latency = Duration.ZERO;
    private volatile Set<ResourceKind> forbidden = Set.of();
    private volatile Set<ResourceKind> throttled = Set.of();
    private final AtomicLong writeRequests = new AtomicLong();

    ClusterDispatcher() {
        this(Clock.systemUTC());
    }

    /** A dispatcher whose writes stamp creation and managedFields times from {@code clock}. */
    ClusterDispatcher(Clock clock) {
        this.writes = new ObjectWrites(crud, storeLock(crud).writeLock(), clock);
        // The store's own writes (spec.replicas through the scale subresource) take the same path as a client's.
        crud.writeObjectsThrough(writes::handle);
    }

    /** What {@code GET /version} answers. */
    void version(io.fabric8.kubernetes.client.VersionInfo info) {
        try {
            this.version = STATUS_JSON.writeValueAsString(info);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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
     * Kinds the client may not touch, as when RBAC grants its service account nothing on them: every request for
     * them (get, list, watch, writes) is answered 403 Forbidden; the store keeps them and in-process reads see them.
     */
    void forbidden(Set<ResourceKind> kinds) {
        this.forbidden = Set.copyOf(kinds);
    }

    Set<ResourceKind> forbidden() {
        return forbidden;
    }

    /**
     * Kinds whose writes API Priority and Fairness turns away: every create, update, patch, apply or delete of them is
     * answered 429 TooManyRequests (with {@code Retry-After}); reads and watches still work.
     */
    void throttled(Set<ResourceKind> kinds) {
        this.throttled = Set.copyOf(kinds);
    }

    Set<ResourceKind> throttled() {
        return throttled;
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
        ResourceKind denied = kindOf(request.getPath(), forbidden);
        if (denied != null) {
            return forbiddenResponse(request.getMethod(), request.getPath(), denied);
        }
        if (WRITES.contains(request.getMethod()) && kindOf(request.getPath(), throttled) != null) {
            return throttledResponse();
        }
        String path = request.getPath() == null ? "" : request.getPath();
        int query = path.indexOf('?');
        MockResponse response = switch (request.getMethod() + " " + (query < 0 ? path : path.substring(0, query))) {
            case "GET /version" -> json(200, version);
            case "GET /" -> json(200, ROOT_PATHS);
            default -> answer(request);
        };
        Duration delay = latency;
        // The mock server delays the body on a Vert.x timer: latency without holding a thread.
        if (!delay.isZero() && response.getWebSocketListener() == null) {
            response.setBodyDelay(delay);
        }
        return response;
    }

    /** The kind of {@code kinds} a request path is about ({@code /apis/<group>/<version>[/namespaces/<ns>]/<plural>...}). */
    private static ResourceKind kindOf(String path, Set<ResourceKind> kinds) {
        if (kinds.isEmpty() || path == null) {
            return null;
        }
        int query = path.indexOf('?');
        String[] segments = (query < 0 ? path : path.substring(0, query)).split("/");
        // segments[0] is the empty string before the leading slash
        String group;
        int rest;
        if (segments.length > 3 && segments[1].equals("api")) {
            group = "";
            rest = 3;
        } else if (segments.length > 4 && segments[1].equals("apis")) {
            group = segments[2];
            rest = 4;
        } else {
            return null;
        }
        // /namespaces/<ns>/<plural> names a namespaced kind; /namespaces or /namespaces/<ns> names Namespace itself.
        String plural =
                segments[rest].equals("namespaces") && segments.length > rest + 2 ? segments[rest + 2] : segments[rest];
        for (ResourceKind kind : kinds) {
            if (kind.group().equals(group) && kind.plural().equals(plural)) {
                return kind;
            }
        }
        return null;
    }

    /** The Status a real API server answers when RBAC denies a request, with the verb it would name. */
    private static MockResponse forbiddenResponse(String method, String path, ResourceKind kind) {
        String verb = switch (method) {
            case "GET" -> path.contains("watch=true") ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
        String resource = kind.group().isEmpty() ? kind.plural() : kind.plural() + "." + kind.group();
        String message = resource + " is forbidden: User \"system:serviceaccount:meridian:inventory\" cannot " + verb
                + " resource \"" + kind.plural() + "\" in API group \"" + kind.group() + "\"";
        Map<String, Object> status = new java.util.LinkedHashMap<>();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.put("metadata", Map.of());
        status.put("status", "Failure");
        status.put("message", message);
        status.put("reason", "Forbidden");
        status.put("details", Map.of("group", kind.group(), "kind", kind.plural()));
        status.put("code", 403);
        return statusResponse(403, status);
    }

    /** What API Priority and Fairness answers a request it rejects: 429 with a Retry-After of one second. */
    private static MockResponse throttledResponse() {
        Map<String, Object> status = new java.util.LinkedHashMap<>();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.put("metadata", Map.of());
        status.put("status", "Failure");
        status.put("message", "Too many requests, please try again later.");
        status.put("reason", "TooManyRequests");
        status.put("details", Map.of("retryAfterSeconds", 1));
        status.put("code", 429);
        return statusResponse(429, status).setHeader("Retry-After", "1");
    }

    private static MockResponse statusResponse(int code, Map<String, Object> status) {
        try {
            return json(code, STATUS_JSON.writeValueAsString(status));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse()
                .setResponseCode(code)
                .setHeader("Content-Type", "application/json")
                .setBody(body);
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
    static ReadWriteLock storeLock(KubernetesCrudDispatcher crud) {
        try {
            Field field = KubernetesCrudDispatcher.class.getDeclaredField("lock");
            field.setAccessible(true);
            return (ReadWriteLock) field.get(crud);
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
