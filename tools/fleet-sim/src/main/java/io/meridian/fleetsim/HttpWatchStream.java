package io.meridian.fleetsim;

import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A watch asked for over plain HTTP, without a WebSocket upgrade, served as a real API server serves it: one chunked
 * {@code application/json} response that carries one watch event per line and stays open until the watch ends.
 *
 * <p>fabric8's store only knows WebSocket watches, so this is the socket its watch listener writes to: each event it
 * sends becomes a line of the response, its close ends the response, and a client that hangs up closes the watch as a
 * WebSocket close would. fabric8's client watches over HTTP when it could not open a WebSocket (it falls back when a
 * new watch's first upgrade fails, for instance while the API server is down, and keeps watching so); kubectl and
 * client-go always do.
 */
final class HttpWatchStream implements WebSocket {

    private final RecordedRequest request;
    private final HttpServerResponse response;
    private final Context context;
    private final WebSocketListener listener;
    private final AtomicBoolean ended = new AtomicBoolean();

    private HttpWatchStream(
            RecordedRequest request, HttpServerResponse response, Context context, WebSocketListener listener) {
        this.request = request;
        this.response = response;
        this.context = context;
        this.listener = listener;
    }

    /** Whether {@code request} asks for a watch over plain HTTP: {@code watch=true} (or 1) and no WebSocket upgrade. */
    static boolean isPlainWatch(HttpServerRequest request) {
        if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            return false;
        }
        String watch = request.getParam("watch");
        return "true".equals(watch) || "1".equals(watch);
    }

    /**
     * Streams the watch the store answered {@code request} with, on the request's own event loop {@code context}. The
     * store's listener sends from a thread of its own; each line is handed to the loop in the order it was sent.
     */
    static void open(Context context, HttpServerRequest request, RecordedRequest recorded, MockResponse watch) {
        WebSocketListener listener = watch.getWebSocketListener();
        HttpServerResponse response = request.response()
                .setStatusCode(200)
                .setChunked(true)
                .putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-cache, private");
        HttpWatchStream stream = new HttpWatchStream(recorded, response, context, listener);
        // The client hung up (or the server went down): the watch is over, as when a WebSocket closes.
        response.closeHandler(v -> stream.ended(1001, "the client closed the watch"));
        listener.onBeforeAccept(stream, watch);
        response.writeHead();
        listener.onOpen(stream, watch);
    }

    @Override
    public RecordedRequest request() {
        return request;
    }

    @Override
    public boolean send(String text) {
        if (ended.get()) {
            return false;
        }
        String line = text.endsWith("\n") ? text : text + "\n";
        return onLoop(() -> {
            if (!ended.get()) {
                response.write(line);
            }
        });
    }

    @Override
    public boolean send(byte[] bytes) {
        return send(new String(bytes, StandardCharsets.UTF_8));
    }

    /** The server ends the watch (an expiry, a store shutting down): the response ends after what was sent before. */
    @Override
    public boolean close(int code, String reason) {
        if (ended.get()) {
            return false;
        }
        return onLoop(() -> {
            if (!response.ended() && !response.closed()) {
                response.end();
            }
            ended(code, reason);
        });
    }

    /** Runs {@code write} on the response's event loop; false when the server stopped and its loop with it. */
    private boolean onLoop(Runnable write) {
        try {
            context.runOnContext(v -> write.run());
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            ended(1001, "the API server stopped");
            return false;
        }
    }

    private void ended(int code, String reason) {
        if (ended.compareAndSet(false, true)) {
            listener.onClosed(this, code, reason);
        }
    }
}
