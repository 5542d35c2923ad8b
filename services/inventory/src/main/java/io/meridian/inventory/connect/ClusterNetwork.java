package io.meridian.inventory.connect;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.VertxBuilder;
import io.vertx.core.impl.transports.JDKTransport;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.net.ConnectException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The network every member cluster's client uses: one Vert.x for all of them, whose transport connects a host name
 * only to the address the allow-list judged for a live connection ({@link PinningTransport}). HTTP requests were
 * pinned per request already; this covers what Vert.x connects by name itself, above all the WebSockets of watches,
 * which every informer reopens for as long as the cluster is registered.
 *
 * <p>A Vert.x of its own because Vert.x 4 resolves names per instance and offers no resolver hook: the service's
 * shared instance keeps resolving normally for everything else (Kafka, PostgreSQL, Keycloak). A {@code @Singleton}, not
 * application-scoped: a client proxy would run the constructor again and start a second Vert.x.
 */
@Singleton
public class ClusterNetwork {

    // A loop a third of a probe timeout late cannot be trusted to hear a probe's answer in time.
    private static final Duration BUSY_LAG = Duration.ofSeconds(1);

    private final Map<String, PinnedEndpoint> pinned = new ConcurrentHashMap<>();
    private final Vertx vertx;
    private final EventLoopLag lag;

    ClusterNetwork() {
        // Vert.x's own defaults (2 event loops per core, 20 workers made on demand), as the shared instance had: the
        // clients of every cluster run here, and fabric8 hands some of their work to workers.
        VertxOptions options = new VertxOptions()
                .setEventLoopPoolSize(2 * Runtime.getRuntime().availableProcessors())
                .setWorkerPoolSize(VertxOptions.DEFAULT_WORKER_POOL_SIZE);
        this.vertx = new VertxBuilder(options)
                .findTransport(new PinningTransport(JDKTransport.INSTANCE, this::addressFor))
                .init()
                .vertx();
        this.lag = new EventLoopLag(vertx, BUSY_LAG, System::nanoTime);
    }

    /** Whether the cluster clients' event loops ran late within {@code window}: this replica, not a cluster, was slow. */
    boolean busyWithin(Duration window) {
        return lag.busyWithin(window);
    }

    /** The Vert.x that cluster clients run on. */
    Vertx vertx() {
        return vertx;
    }

    /** From now on, {@code cluster}'s host name connects to the address {@code endpoint} judged (and re-judges). */
    void pin(String cluster, PinnedEndpoint endpoint) {
        pinned.put(cluster, endpoint);
    }

    /** {@code cluster}'s connection stopped: its name no longer connects anywhere unless another cluster pins it. */
    void unpin(String cluster) {
        pinned.remove(cluster);
    }

    /**
     * The address a connection to {@code host} goes to. Several clusters may pin the same name (each judged it with the
     * same allow-list, at its own time): one whose judgement allows it decides, so that a cluster whose last judgement
     * refused the name (its API server failed its probes and DNS answered a forbidden address then) cannot break the
     * connections of another that still holds an allowed one; with none allowed, the refusal says why.
     */
    InetAddress addressFor(String host) throws ConnectException {
        PinnedEndpoint refused = null;
        for (PinnedEndpoint endpoint : pinned.values()) {
            if (endpoint.isFor(host)) {
                if (endpoint.refusal().isEmpty()) {
                    return endpoint.addressFor(host);
                }
                refused = endpoint;
            }
        }
        if (refused != null) {
            return refused.addressFor(host); // throws with the refusal
        }
        throw new ConnectException("no registered cluster's connection pinned " + host);
    }

    @PreDestroy
    void close() throws Exception {
        lag.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
