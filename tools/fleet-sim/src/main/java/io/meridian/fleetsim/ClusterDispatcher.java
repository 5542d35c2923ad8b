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
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state of one simulated API server: fabric8's CRUD store plus the few fixed answers ({@code /version}), with
 * optional latency. It outlives the HTTP server in front of it, so a cluster that goes down comes back with exactly
 * the objects it holds, including changes made while it was down.
 */
final class ClusterDispatcher extends Dispatcher {

    private final Map<ServerRequest, Queue<ServerResponse>> expectations = new ConcurrentHashMap<>();
    private final MockDispatcher fixedAnswers = new MockDispatcher(expectations);
    private final KubernetesCrudDispatcher crud = new IdentityKeepingCrud();
    private volatile Duration latency = Duration.ZERO;

    /** The expectation map a {@code KubernetesMockServer} fills on start; emptied before each restart. */
    Map<ServerRequest, Queue<ServerResponse>> expectations() {
        return expectations;
    }

    KubernetesCrudDispatcher crud() {
        return crud;
    }

    void latency(Duration latency) {
        this.latency = latency;
    }

    Duration latency() {
        return latency;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        Queue<ServerResponse> fixed =
                expectations.get(new SimpleRequest(HttpMethod.valueOf(request.getMethod()), request.getPath()));
        MockResponse response =
                fixed != null && !fixed.isEmpty() ? fixedAnswers.dispatch(request) : crud.dispatch(request);
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
        return crud.dispatch(new RecordedRequest("HTTP/1.1", method, path, headers.build(), buffer));
    }

    @Override
    public void shutdown() {
        // Deliberately empty: the HTTP server calls this when it stops, and the store must survive an outage.
    }
}
