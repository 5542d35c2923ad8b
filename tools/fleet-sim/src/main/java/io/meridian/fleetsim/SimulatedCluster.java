package io.meridian.fleetsim;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** One cluster of the simulated fleet: its identity, its API server, its objects and its metrics. */
public final class SimulatedCluster implements AutoCloseable {

    private final ClusterProfile profile;
    private final ClusterDispatcher dispatcher;
    private final ClusterStore store;
    private final ApiServer api;
    private final ClusterMetrics metrics;
    private final ClusterChanges changes;
    private final WorkloadControllers controllers;
    private final String metricsUrl;
    private final ScheduledExecutorService scheduler;
    private KubernetesClient client;
    private ScheduledFuture<?> pendingUp;

    private SimulatedCluster(
            ClusterProfile profile,
            ClusterDispatcher dispatcher,
            ApiServer api,
            TrafficMatrix traffic,
            String metricsBaseUrl,
            ScheduledExecutorService scheduler,
            Clock clock,
            WorkloadControllers controllers) {
        this.profile = profile;
        this.dispatcher = dispatcher;
        this.store = new ClusterStore(dispatcher);
        this.api = api;
        this.metrics = new ClusterMetrics(profile.name(), profile.seed(), store, traffic);
        this.changes = new ClusterChanges(profile, store, clock);
        this.controllers = controllers;
        this.metricsUrl = metricsBaseUrl + "/clusters/" + profile.name() + "/metrics";
        this.scheduler = scheduler;
    }

    /**
     * Seeds the store in-process (no HTTP round trips), starts its controllers (which leave the seeded objects alone:
     * their status already observed them), then opens the API server on a free port.
     */
    static SimulatedCluster start(
            ClusterProfile profile,
            List<HasMetadata> objects,
            TrafficMatrix traffic,
            String metricsBaseUrl,
            ScheduledExecutorService scheduler,
            Clock clock,
            Duration controllerDelay) {
        ClusterDispatcher dispatcher = new ClusterDispatcher(clock);
        ClusterStore store = new ClusterStore(dispatcher);
        objects.forEach(store::create);
        WorkloadControllers controllers = WorkloadControllers.attach(
                profile.name(), dispatcher, scheduler, clock, controllerDelay, profile.seed());
        ApiServer api = ApiServer.start(dispatcher, ApiServer.version(profile.cloud()), 0);
        return new SimulatedCluster(profile, dispatcher, api, traffic, metricsBaseUrl, scheduler, clock, controllers);
    }

    public ClusterProfile profile() {
        return profile;
    }

    public String name() {
        return profile.name();
    }

    public String displayName() {
        return profile.displayName();
    }

    public Cloud cloud() {
        return profile.cloud();
    }

    public String region() {
        return profile.region().name();
    }

    public String environment() {
        return profile.environment();
    }

    public Map<String, String> labels() {
        return profile.labels();
    }

    /** The API server URL, e.g. {@code http://127.0.0.1:40123}; stable across outages. */
    public String apiServerUrl() {
        return api.url();
    }

    public int port() {
        return api.port();
    }

    public String kubeconfig() {
        return Kubeconfigs.of(name(), apiServerUrl());
    }

    public String metricsUrl() {
        return metricsUrl;
    }

    /** A client with full access to this cluster, made on first use and closed with the fleet. */
    public synchronized KubernetesClient client() {
        if (client == null) {
            client = new KubernetesClientBuilder()
                    .withConfig(new ConfigBuilder()
                            .withMasterUrl(apiServerUrl())
                            .withOauthToken("sim-token-" + name())
                            .withTrustCerts(true)
                            .withRequestRetryBackoffLimit(0)
                            .build())
                    .build();
        }
        return client;
    }

    /** How many objects the cluster holds right now (also while it is down). */
    public int objectCount() {
        return store.count();
    }

    public boolean isUp() {
        return api.isUp();
    }

    /** Takes the API server down until {@link #up()}. */
    public synchronized void down() {
        cancelPendingUp();
        api.stop();
    }

    /** Takes the API server down and brings it back, with its objects, after {@code outage}. */
    public synchronized void down(Duration outage) {
        down();
        pendingUp = scheduler.schedule(this::up, outage.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Brings the API server back on the same port with the objects it holds. */
    public synchronized void up() {
        cancelPendingUp();
        api.restart();
    }

    private void cancelPendingUp() {
        if (pendingUp != null) {
            pendingUp.cancel(false);
            pendingUp = null;
        }
    }

    /** How many write requests its clients sent (not the simulator's own writes): for counting a client's writes. */
    public long writeRequests() {
        return dispatcher.writeRequests();
    }

    /** Delays every API response by {@code latency} (zero to stop). */
    public void latency(Duration latency) {
        dispatcher.latency(latency);
    }

    public Duration latency() {
        return dispatcher.latency();
    }

    /**
     * Denies its clients every request for these kinds (names as in {@code drift}, e.g. {@code ClusterRole}) with 403
     * Forbidden, as RBAC would; the set replaces the previous one, empty allows everything again.
     *
     * @throws IllegalArgumentException naming an unknown kind
     */
    public void forbidKinds(java.util.Collection<String> kinds) {
        dispatcher.forbidden(kinds.stream().map(ResourceKind::of).collect(java.util.stream.Collectors.toSet()));
    }

    /** The kinds its clients are denied, by name. */
    public java.util.SortedSet<String> forbiddenKinds() {
        return dispatcher.forbidden().stream()
                .map(ResourceKind::kind)
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }

    /**
     * Answers its clients' writes of these kinds with 429 TooManyRequests, as API Priority and Fairness does under
     * load; reads and watches still work. The set replaces the previous one, empty lets every write through again.
     *
     * @throws IllegalArgumentException naming an unknown kind
     */
    public void throttleWrites(java.util.Collection<String> kinds) {
        dispatcher.throttled(kinds.stream().map(ResourceKind::of).collect(java.util.stream.Collectors.toSet()));
    }

    /** The kinds whose writes are throttled, by name. */
    public java.util.SortedSet<String> throttledKinds() {
        return dispatcher.throttled().stream()
                .map(ResourceKind::kind)
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }

    /** The registration body of inventory's {@code POST /api/v1/clusters} for this cluster. */
    public Map<String, Object> registration() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name());
        body.put("displayName", displayName());
        body.put("cloud", cloud().wireName());
        body.put("region", region());
        body.put("environment", environment());
        body.put("labels", new LinkedHashMap<>(labels()));
        body.put("apiServerUrl", apiServerUrl());
        body.put("metricsUrl", metricsUrl());
        body.put("credentials", Map.of("kubeconfig", kubeconfig()));
        return body;
    }

    ClusterStore store() {
        return store;
    }

    ClusterMetrics metrics() {
        return metrics;
    }

    ClusterChanges changes() {
        return changes;
    }

    WorkloadControllers controllers() {
        return controllers;
    }

    /**
     * Ends every open watch as a real API server does when their resourceVersion is compacted away (an ERROR event
     * with a 410 Expired Status); for 30 s, a watch from an older resourceVersion gets that event at once.
     *
     * @return how many watches were ended
     */
    public int expireWatches() {
        return expireWatches(WatchExpiry.DEFAULT_WINDOW);
    }

    /** As {@link #expireWatches()}, with watches from older resourceVersions ended so for {@code window}. */
    public int expireWatches(Duration window) {
        return dispatcher.crud().expireWatches(window);
    }

    /** Rewrites the status of every Deployment and StatefulSet every {@code every} (zero stops), as heartbeats do. */
    public void statusChurn(Duration every) {
        controllers.statusChurn(every);
    }

    /**
     * Sets {@code spec.replicas} of a Deployment or StatefulSet as the HPA does: through the scale subresource as
     * field manager {@code kube-controller-manager}; the controller then follows.
     */
    public Map<String, Object> hpaScale(String namespace, String kind, String name, int replicas) {
        return controllers.hpaScale(namespace, kind, name, replicas);
    }

    /** Marks a Deployment or StatefulSet as never becoming ready (its pods crash-loop), or heals it. */
    public Map<String, Object> rolloutBroken(String namespace, String name, boolean broken) {
        return controllers.markBroken(namespace, null, name, broken);
    }

    @Override
    public synchronized void close() {
        cancelPendingUp();
        controllers.close();
        if (client != null) {
            client.close();
            client = null;
        }
        api.stop();
    }
}
