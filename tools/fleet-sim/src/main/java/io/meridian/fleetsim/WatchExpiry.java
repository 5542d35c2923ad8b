package io.meridian.fleetsim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Ends watches the way a real API server does when the resourceVersion a client watches from has been compacted
 * away: an {@code ERROR} event carrying a 410 {@code Expired} Status, then the end of the stream. For a window
 * afterwards, a watch that asks for a resourceVersion older than the store's at expiry gets that error event at once
 * (accepted, then ended: the API server never refuses the request itself), so a client has to list again (which
 * gives it a current resourceVersion) before it can watch.
 */
final class WatchExpiry {

    /** How long watches from older resourceVersions are ended at once after an expiry unless the caller says otherwise. */
    static final Duration DEFAULT_WINDOW = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Set<ExpiringWatch> open = ConcurrentHashMap.newKeySet();
    private final Lock storeReads;
    private final BiConsumer<WebSocketListener, Runnable> detach;
    private volatile Compaction compaction;

    /** For a store of its own (tests): nothing else writes while a watch opens, and nothing to detach from. */
    WatchExpiry() {
        this(new ReentrantReadWriteLock().readLock(), (listener, then) -> then.run());
    }

    /**
     * @param storeReads the CRUD store's read lock; its writes (and the events they send to watches) take the write
     *     lock, so holding it keeps the store still while a watch opens
     * @param detach takes a closed watch's store listener out of the store's set at once, and runs the second argument
     *     (the listener's own shutdown) once no write in progress can still be sending to it
     */
    WatchExpiry(Lock storeReads, BiConsumer<WebSocketListener, Runnable> detach) {
        this.storeReads = storeReads;
        this.detach = detach;
    }

    /** Everything before {@code oldest} is gone until {@code untilNanos} (a {@link System#nanoTime()} value). */
    private record Compaction(long oldest, long untilNanos) {

        boolean refuses(long requested) {
            return requested > 0 && requested < oldest && System.nanoTime() - untilNanos < 0;
        }
    }

    /**
     * Answers a watch request: a watch that a 410 Expired error event ends at once, inside an expiry window when it asks
     * for a compacted resourceVersion, or when it asks for one older than the latest deletion (the store replays what
     * exists, not what was deleted, so such a watch would never tell the client of that deletion: a real server ends
     * it with 410 once its watch cache no longer holds the version, and the client lists again); otherwise the store's
     * own watch, wrapped so that it can be expired later.
     *
     * @param current the store's resourceVersion now
     * @param lastDeletion the resourceVersion of the newest deletion this watch selects but could not report, 0 when
     *     none; asked again once the watch is open, since a deletion between the request and the upgrade reaches no
     *     listener either (the watch then ends with 410, as one the server's cache moved past)
     */
    MockResponse watch(
            String path, long current, java.util.function.LongSupplier lastDeletion, Supplier<MockResponse> watch) {
        long requested = requestedResourceVersion(path);
        Compaction c = compaction;
        long deleted = lastDeletion.getAsLong();
        long oldest =
                c != null && c.refuses(requested) ? c.oldest() : requested > 0 && requested < deleted ? deleted : 0;
        if (oldest > 0) {
            // Accepted, then ended by an ERROR event, as the API server's watch cache ends it: it never refuses such a
            // request outright. A client tells a 410 event from a failed upgrade: it lists again after the event, but
            // retries a refused upgrade with the same resourceVersion (fabric8 does, forever).
            return new MockResponse().withWebSocketUpgrade(new GoneOnOpen(expiredStatus(requested, oldest)));
        }
        MockResponse response = watch.get();
        WebSocketListener inner = response.getWebSocketListener();
        if (inner == null) {
            return response;
        }
        ExpiringWatch expiring =
                new ExpiringWatch(inner, requested > 0 ? requested : current, requested > 0 ? lastDeletion : () -> 0);
        open.add(expiring);
        return response.withWebSocketUpgrade(expiring);
    }

    /** A watch from a resourceVersion the server no longer holds: its one event is the 410 error, then it ends. */
    private static final class GoneOnOpen extends WebSocketListener {

        private final Map<String, Object> status;

        GoneOnOpen(Map<String, Object> status) {
            this.status = status;
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            sendExpired(webSocket, status);
        }
    }

    /** Sends the 410 error event and ends the watch. */
    private static void sendExpired(WebSocket socket, Map<String, Object> status) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "ERROR");
        event.put("object", status);
        try {
            socket.send(toJson(event));
            socket.close(1000, "");
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // The server stopped and its event loop with it: the connection is gone already.
        }
    }

    /**
     * Ends every open watch with a 410 {@code Expired} error event, and for {@code window} every new one from a
     * resourceVersion older than {@code current}.
     *
     * @return how many watches were ended
     */
    int expireAll(long current, Duration window) {
        compaction = new Compaction(current, System.nanoTime() + window.toNanos());
        int ended = 0;
        for (ExpiringWatch watch : open) {
            if (watch.expire(current)) {
                ended++;
            }
        }
        return ended;
    }

    /** How many watches are open now. */
    int openWatches() {
        return open.size();
    }

    /** The {@code resourceVersion} query parameter of a watch request, or -1 when it has none (or "0": any). */
    static long requestedResourceVersion(String path) {
        String query;
        try {
            query = new URI(path).getRawQuery();
        } catch (java.net.URISyntaxException e) {
            return -1;
        }
        if (query == null) {
            return -1;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("resourceVersion=")) {
                String value = URLDecoder.decode(pair.substring("resourceVersion=".length()), StandardCharsets.UTF_8);
                try {
                    return Long.parseLong(value);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** The Status a real API server answers for a compacted resourceVersion. */
    static Map<String, Object> expiredStatus(long requested, long oldest) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.put("metadata", Map.of());
        status.put("status", "Failure");
        status.put("message", "too old resource version: " + requested + " (" + oldest + ")");
        status.put("reason", "Expired");
        status.put("code", 410);
        return status;
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The mock server's watch listener with its socket in our hands: events go through until the watch expires;
     * then the error event goes out, the stream closes, and whatever the store still had queued for it is dropped
     * (the client relists anyway).
     */
    private final class ExpiringWatch extends WebSocketListener {

        private final WebSocketListener inner;
        private final long startedFrom;
        private final java.util.function.LongSupplier lastDeletion;
        private WebSocket socket;
        private boolean expired;
        private boolean ended;
        private long expiredAt;

        ExpiringWatch(WebSocketListener inner, long startedFrom, java.util.function.LongSupplier lastDeletion) {
            this.inner = inner;
            this.startedFrom = startedFrom;
            this.lastDeletion = lastDeletion;
        }

        @Override
        public void onBeforeAccept(WebSocket webSocket, Response response) {
            inner.onBeforeAccept(webSocket, response);
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            synchronized (this) {
                socket = webSocket;
            }
            // fabric8's store registers its listener when the watch is requested but can send to it only once its
            // onOpen has attached the socket: an event in between is dropped. A deletion dropped so is counted here,
            // and the client must list again; the store's replay on open covers what was created or changed. The
            // store's read lock, held from the count to the attached socket, keeps any write (each takes the write
            // lock) from falling between the two, where it would be neither counted nor delivered.
            long deleted;
            storeReads.lock();
            try {
                deleted = lastDeletion.getAsLong();
                inner.onOpen(new GuardedSocket(webSocket), response);
            } finally {
                storeReads.unlock();
            }
            if (deleted > startedFrom) {
                expire(deleted);
            }
            synchronized (this) {
                // Expired between the request and the upgrade: end it now, as the server would have.
                if (expired && !ended) {
                    sendErrorAndClose(expiredAt);
                }
            }
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            inner.onMessage(webSocket, text);
        }

        @Override
        public void onMessage(WebSocket webSocket, ByteString bytes) {
            inner.onMessage(webSocket, bytes);
        }

        @Override
        public void onMessage(WebSocket webSocket, byte[] bytes) {
            inner.onMessage(webSocket, bytes);
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            inner.onClosing(webSocket, code, reason);
        }

        // fabric8's store listener shuts its sender down first and leaves the store's set only after that: a write
        // in between fails on it and the store stops telling the watches after it in the set (a DELETED lost for a
        // live watch). Out of the set first, it is never told again.
        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            open.remove(this);
            detach.accept(inner, () -> inner.onClosed(webSocket, code, reason));
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            open.remove(this);
            // The store's listener closes the socket it is given first: guarded, since the server may be gone.
            detach.accept(inner, () -> inner.onFailure(new GuardedSocket(webSocket), t, response));
        }

        synchronized boolean expire(long oldest) {
            if (expired) {
                return false;
            }
            expired = true;
            expiredAt = oldest;
            if (socket != null) {
                sendErrorAndClose(oldest);
            }
            return true;
        }

        private void sendErrorAndClose(long oldest) {
            ended = true;
            open.remove(this);
            sendExpired(socket, expiredStatus(startedFrom, oldest));
        }

        /** The socket the store's listener writes to: silent once the watch has expired. */
        private final class GuardedSocket implements WebSocket {

            private final WebSocket socket;

            GuardedSocket(WebSocket socket) {
                this.socket = socket;
            }

            @Override
            public RecordedRequest request() {
                return socket.request();
            }

            @Override
            public boolean send(String text) {
                synchronized (ExpiringWatch.this) {
                    try {
                        return !expired && socket.send(text);
                    } catch (java.util.concurrent.RejectedExecutionException stopped) {
                        return false; // the server stopped: nobody to send to
                    }
                }
            }

            @Override
            public boolean send(byte[] bytes) {
                synchronized (ExpiringWatch.this) {
                    try {
                        return !expired && socket.send(bytes);
                    } catch (java.util.concurrent.RejectedExecutionException stopped) {
                        return false; // the server stopped: nobody to send to
                    }
                }
            }

            @Override
            public boolean close(int code, String reason) {
                synchronized (ExpiringWatch.this) {
                    // Closed already by the expiry: a second close would only fail.
                    if (expired) {
                        return true;
                    }
                    try {
                        return socket.close(code, reason);
                    } catch (java.util.concurrent.RejectedExecutionException e) {
                        // The server stopped (an outage, or the end of a test) and its event loop with it: the
                        // connection is gone already. Thrown on, it would also keep the store's listener from shutting
                        // its sender down.
                        return false;
                    }
                }
            }
        }
    }
}
