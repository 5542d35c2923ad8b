package io.meridian.fleetsim;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One simulated Kubernetes API server on its own, starting empty, that behaves as every cluster of a fleet does
 * (server-side apply and managedFields, defaults, workload controllers, status churn, watch expiry): what a test
 * uses as "a cluster".
 */
public final class StandaloneApiServer implements AutoCloseable {

    // The mock web server logs every request at INFO through JUL; a strong reference keeps the level set.
    private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_SERVER_LOG.setLevel(Level.WARNING);
    }

    private final String name;
    private final Duration controllerDelay;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private Backend backend;
    private java.util.Set<ResourceKind> forbidden = java.util.Set.of();
    private java.util.Set<ResourceKind> throttled = java.util.Set.of();

    /** The parts that live as long as one store: an empty start makes them anew. */
    private record Backend(ClusterDispatcher dispatcher, WorkloadControllers controllers, ApiServer api) {}

    private StandaloneApiServer(String name, Duration controllerDelay, Clock clock) {
        this.name = name;
        this.controllerDelay = controllerDelay;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fleet-sim-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** An empty API server on a free loopback port whose controllers act 1 s after a write. */
    public static StandaloneApiServer start(String name) {
        return start(name, WorkloadControllers.DEFAULT_DELAY);
    }

    /** An empty API server on a free loopback port whose controllers act {@code controllerDelay} after a write. */
    public static StandaloneApiServer start(String name, Duration controllerDelay) {
        if (controllerDelay == null || controllerDelay.isNegative()) {
            throw new IllegalArgumentException("the controller delay must be zero or more, got " + controllerDelay);
        }
        StandaloneApiServer server = new StandaloneApiServer(name, controllerDelay, Clock.systemUTC());
        server.backend = server.newBackend(0);
        return server;
    }

    private Backend newBackend(int port) {
        ClusterDispatcher dispatcher = new ClusterDispatcher(clock);
        dispatcher.forbidden(forbidden);
        dispatcher.throttled(throttled);
        WorkloadControllers controllers =
                WorkloadControllers.attach(name, dispatcher, scheduler, clock, controllerDelay, name.hashCode());
        ApiServer api = ApiServer.start(dispatcher, ApiServer.version(Cloud.ONPREM), port);
        return new Backend(dispatcher, controllers, api);
    }

    public String name() {
        return name;
    }

    /** The API server URL, e.g. {@code http://127.0.0.1:40123}; the same after {@link #startEmpty()}. */
    public synchronized String url() {
        return backend.api().url();
    }

    public synchronized int port() {
        return backend.api().port();
    }

    public synchronized boolean isUp() {
        return backend.api().isUp();
    }

    /** Stops answering: connections are refused and open watches break, as in a control-plane outage. */
    public synchronized void stop() {
        backend.api().stop();
    }

    /** Answers again on the same port, empty (as after a restore from an old backup), with fresh controllers. */
    public synchronized void startEmpty() {
        int port = backend.api().port();
        backend.api().stop();
        backend.controllers().close();
        backend = newBackend(port);
    }

    /** How many write requests clients sent since the last (empty) start; the server's own writes do not count. */
    public synchronized long writeRequests() {
        return backend.dispatcher().writeRequests();
    }

    /** Ends every open watch with a 410 Expired error; watches from older resourceVersions get it at once for 30 s. */
    public int expireWatches() {
        return expireWatches(WatchExpiry.DEFAULT_WINDOW);
    }

    /** As {@link #expireWatches()}, ending watches from older resourceVersions so for {@code window}. */
    public synchronized int expireWatches(Duration window) {
        return backend.dispatcher().crud().expireWatches(window);
    }

    /** Sets {@code spec.replicas} as the HPA does: the scale subresource, as {@code kube-controller-manager}. */
    public Map<String, Object> hpaScale(String namespace, String kind, String name, int replicas) {
        return controllers().hpaScale(namespace, kind, name, replicas);
    }

    /** Rewrites the status of every Deployment and StatefulSet every {@code every}; zero stops it. */
    public void statusChurn(Duration every) {
        controllers().statusChurn(every);
    }

    /** Marks a Deployment or StatefulSet as never becoming ready (its pods crash-loop), or heals it. */
    public Map<String, Object> rolloutBroken(String namespace, String name, boolean broken) {
        return controllers().markBroken(namespace, null, name, broken);
    }

    /**
     * Denies clients every request for these kinds (e.g. {@code ClusterRole}) with 403 Forbidden, as RBAC would; the
     * set replaces the previous one and outlives {@link #startEmpty()}; empty allows everything again.
     *
     * @throws IllegalArgumentException naming an unknown kind
     */
    public synchronized void forbidKinds(java.util.Collection<String> kinds) {
        forbidden = kinds.stream().map(ResourceKind::of).collect(java.util.stream.Collectors.toUnmodifiableSet());
        backend.dispatcher().forbidden(forbidden);
    }

    /**
     * Answers clients' writes of these kinds with 429 TooManyRequests, as API Priority and Fairness does under load;
     * reads and watches still work. The set replaces the previous one and outlives {@link #startEmpty()}.
     *
     * @throws IllegalArgumentException naming an unknown kind
     */
    public synchronized void throttleWrites(java.util.Collection<String> kinds) {
        throttled = kinds.stream().map(ResourceKind::of).collect(java.util.stream.Collectors.toUnmodifiableSet());
        backend.dispatcher().throttled(throttled);
    }

    /** Delays every API response but watch streams by {@code latency}, as a busy or distant API server does. */
    public synchronized void latency(Duration latency) {
        backend.dispatcher().latency(latency);
    }

    synchronized int openWatches() {
        return backend.dispatcher().crud().openWatches();
    }

    synchronized long listsAnswered() {
        return backend.dispatcher().crud().listsAnswered();
    }

    private synchronized WorkloadControllers controllers() {
        return backend.controllers();
    }

    @Override
    public synchronized void close() {
        backend.api().stop();
        backend.controllers().close();
        scheduler.shutdownNow();
    }
}
