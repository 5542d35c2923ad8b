package io.meridian.fleetsim;

import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.vertx.ServerWebSocketHandler;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The HTTP side of one simulated Kubernetes API server, on a fixed loopback port it keeps across outages.
 *
 * <p>A real API server serves every request on a goroutine of its own: a client's {@code /version} probe is answered
 * while a list of thousands of objects is being encoded for another. fabric8's {@code MockWebServer} answers each
 * server's requests one after another on one Vert.x event loop, so a probe queued behind a few large lists times out
 * and the cluster looks unreachable when it is only busy. This server still reads and writes HTTP on one Vert.x event
 * loop of its own, but answers each request on a thread of its own (goroutine-like; the operating system shares the
 * cores between them), then writes the response back on the loop.
 * WebSocket upgrades (watches, exec) are set up on the event loop and handed to fabric8's own handler, as before; a
 * watch asked for over plain HTTP is set up there too and streamed as a real server streams it
 * ({@link HttpWatchStream}).
 */
final class ApiServer {

    static final String HOST = "127.0.0.1";

    private static final Logger LOG = Logger.getLogger(ApiServer.class.getName());
    private static final List<String> WEBSOCKET_SUB_PROTOCOLS =
            List.of("v1.channel.k8s.io", "v2.channel.k8s.io", "v3.channel.k8s.io", "v4.channel.k8s.io");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final AtomicInteger THREADS = new AtomicInteger();
    // One request, one thread, as a goroutine per request; idle threads end after a minute.
    private static final ExecutorService REQUESTS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "fleet-sim-api-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    private final ClusterDispatcher dispatcher;
    private int port;
    private Vertx vertx;
    private HttpServer server;

    private ApiServer(ClusterDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** Starts an API server on a free port (or {@code port} when not 0) in front of {@code dispatcher}. */
    static ApiServer start(ClusterDispatcher dispatcher, VersionInfo version, int port) {
        dispatcher.version(version);
        ApiServer api = new ApiServer(dispatcher);
        api.listen(port);
        return api;
    }

    static VersionInfo version(Cloud cloud) {
        return new VersionInfo.Builder()
                .withMajor("1")
                .withMinor("31")
                .withGitVersion(ClusterContents.KUBERNETES_VERSION + cloud.versionSuffix())
                .withGitCommit("a78aa47129b8539636eb86a9d00e31b2720fe06b")
                .withGitTreeState("clean")
                .withGoVersion("go1.22.9")
                .withCompiler("gc")
                .withPlatform("linux/amd64")
                .build();
    }

    private void listen(int wanted) {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(HOST)
                .setPort(wanted)
                .setWebSocketSubProtocols(WEBSOCKET_SUB_PROTOCOLS)
                .setHandle100ContinueAutomatically(true);
        // One event loop of its own, as each MockWebServer had: what holds it up (a watch's replay of every object)
        // holds up this cluster only.
        Vertx loop = Vertx.vertx(
                new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1));
        HttpServer next = loop.createHttpServer(options).requestHandler(this::receive);
        try {
            await(next.listen());
        } catch (RuntimeException e) {
            await(loop.close());
            throw new IllegalStateException("the simulated API server could not listen on " + HOST + ":" + wanted, e);
        }
        vertx = loop;
        server = next;
        port = next.actualPort();
    }

    private void receive(HttpServerRequest request) {
        Context context = Vertx.currentContext();
        request.resume();
        if (HttpWatchStream.isPlainWatch(request)) {
            // A watch over plain HTTP is set up on the event loop as a WebSocket one is: the store answers both alike.
            RecordedRequest recorded = recorded(request, null);
            try {
                MockResponse answer = dispatcher.dispatch(recorded);
                if (answer.getWebSocketListener() != null) {
                    HttpWatchStream.open(context, request, recorded, answer);
                } else {
                    respond(context, request, recorded, answer); // refused: 403 Forbidden
                }
            } catch (Throwable e) {
                failed(request, recorded, e);
            }
            return;
        }
        if (isWebSocketUpgrade(request)) {
            // A WebSocket (a watch, exec) must be accepted before the request is read to its end, so it is set up here
            // on the event loop, body unread: setting one up is cheap, what it carries later is sent from other
            // threads.
            RecordedRequest recorded = recorded(request, null);
            try {
                respond(context, request, recorded, dispatcher.dispatch(recorded));
            } catch (Throwable e) {
                failed(request, recorded, e);
            }
            return;
        }
        // A request without a body may already have been read to its end: asking for its body then fails.
        Future<Buffer> body = hasBody(request) ? request.body() : Future.succeededFuture();
        body.onComplete(read -> {
            if (read.failed()) {
                fail(request, read.cause());
                return;
            }
            RecordedRequest recorded = recorded(request, read.result());
            REQUESTS.execute(() -> {
                MockResponse response;
                try {
                    response = dispatcher.dispatch(recorded);
                } catch (Throwable e) {
                    context.runOnContext(v -> failed(request, recorded, e));
                    return;
                }
                context.runOnContext(v -> respond(context, request, recorded, response));
            });
        });
    }

    private static void failed(HttpServerRequest request, RecordedRequest recorded, Throwable e) {
        LOG.log(Level.WARNING, e, () -> "the simulator failed to answer " + recorded.getRequestLine());
        fail(request, e);
    }

    private static RecordedRequest recorded(HttpServerRequest request, Buffer body) {
        return new RecordedRequest(
                request.version().alpnName().toUpperCase(Locale.ROOT),
                HttpMethod.fromVertx(request.method()),
                request.uri(),
                Headers.builder().addAll(request.headers()).build(),
                new io.fabric8.mockwebserver.http.Buffer(body == null ? null : body.getBytes()));
    }

    private static void respond(
            Context context, HttpServerRequest request, RecordedRequest recorded, MockResponse response) {
        if (response.getWebSocketListener() != null) {
            try {
                request.toWebSocket()
                        .onSuccess(new ServerWebSocketHandler(recorded, response))
                        .onFailure(e -> fail(request, e));
            } catch (IllegalStateException e) {
                fail(request, e);
            }
            return;
        }
        HttpServerResponse out = request.response().setStatusCode(response.code());
        response.getHeaders()
                .toMultimap()
                .forEach((name, values) -> out.headers().add(name, values));
        if (response.getBody() == null || response.getBody().size() == 0) {
            out.end();
            return;
        }
        Buffer body = Buffer.buffer(response.getBody().getBytes());
        out.putHeader("Content-Length", String.valueOf(body.length()));
        if (response.getBodyDelay() != null && response.getBodyDelay().toMillis() > 0) {
            // Latency without holding a thread.
            context.owner().setTimer(response.getBodyDelay().toMillis(), id -> out.end(body));
        } else {
            out.end(body);
        }
    }

    private static void fail(HttpServerRequest request, Throwable cause) {
        if (!request.response().headWritten() && !request.response().closed()) {
            request.response().setStatusCode(500).end(String.valueOf(cause.getMessage()));
        }
    }

    // A WebSocket (a watch, exec): a plain HTTP watch is streamed instead (HttpWatchStream).
    private static boolean isWebSocketUpgrade(HttpServerRequest request) {
        return "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
    }

    // As fabric8's mock server: a request has a body when it declares a length or a type.
    private static boolean hasBody(HttpServerRequest request) {
        String length = request.headers().get("Content-Length");
        if (length != null && !length.isBlank()) {
            try {
                return Long.parseLong(length.trim()) > 0;
            } catch (NumberFormatException e) {
                return true;
            }
        }
        return request.headers().contains("Content-Type");
    }

    synchronized boolean isUp() {
        return server != null;
    }

    /** Stops answering: connections are refused, open watches break, as in a control-plane outage. */
    synchronized void stop() {
        if (server != null) {
            try {
                await(server.close());
            } finally {
                server = null;
                await(vertx.close());
                vertx = null;
            }
        }
    }

    /** Answers again on the same port, with whatever the store holds now. */
    synchronized void restart() {
        if (server == null) {
            listen(port);
        }
    }

    int port() {
        return port;
    }

    /** The API server URL as a kubeconfig names it, without a trailing slash. */
    String url() {
        return "http://" + HOST + ":" + port;
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the simulated API server", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the simulated API server did not answer in " + STOP_TIMEOUT, e);
        }
    }
}
