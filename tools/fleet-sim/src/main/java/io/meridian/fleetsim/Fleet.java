package io.meridian.fleetsim;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** A running simulated fleet: its clusters, the optional CAPI management cluster, traffic and the control API. */
public final class Fleet implements AutoCloseable {

    static {
        // The mock API servers log every request at INFO; a fleet makes thousands a second.
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
    }

    // The mock web server logs every request at INFO through JUL; a strong reference keeps the level set.
    private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_SERVER_LOG.setLevel(Level.WARNING);
    }

    private final FleetOptions options;
    private final Instant started;
    private final TrafficMatrix traffic;
    private final ScheduledExecutorService scheduler;
    private final Map<String, SimulatedCluster> clusters = new LinkedHashMap<>();
    private ControlApi control;
    private CapiManagementCluster capi;

    private Fleet(FleetOptions options) {
        this.options = options;
        this.started = options.clock().instant();
        this.traffic = new TrafficMatrix(options.seed());
        // Two threads: the clusters' controllers and status churn must not hold up an outage's timed return.
        this.scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "fleet-sim-scheduler");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts a fleet; blocks until every cluster answers. */
    public static Fleet start(FleetOptions options) {
        return start(options, message -> {});
    }

    /** Starts a fleet, reporting progress lines such as {@code started 12/12 clusters} to {@code progress}. */
    public static Fleet start(FleetOptions options, Consumer<String> progress) {
        Fleet fleet = new Fleet(options);
        try {
            fleet.boot(progress);
            return fleet;
        } catch (RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    private void boot(Consumer<String> progress) {
        control = ControlApi.start(this, options.controlPort());
        List<ClusterProfile> profiles = FleetLayout.plan(options.clusters(), options.seed());
        traffic.seedDefaults(profiles.stream().map(ClusterProfile::name).toList(), 0);

        AtomicInteger done = new AtomicInteger();
        int total = profiles.size();
        int step = Math.max(1, total / 10);
        ExecutorService pool = Executors.newFixedThreadPool(options.parallelism());
        try {
            List<Future<SimulatedCluster>> futures = new ArrayList<>();
            for (ClusterProfile profile : profiles) {
                futures.add(pool.submit(() -> {
                    SimulatedCluster cluster = startCluster(profile);
                    int n = done.incrementAndGet();
                    if (n % step == 0 || n == total) {
                        progress.accept("started " + n + "/" + total + " clusters");
                    }
                    return cluster;
                }));
            }
            for (Future<SimulatedCluster> future : futures) {
                SimulatedCluster cluster = future.get();
                synchronized (this) {
                    clusters.put(cluster.name(), cluster);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the fleet", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "a cluster failed to start: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdown();
        }
        if (options.capi()) {
            capi = CapiManagementCluster.start(clusters());
            progress.accept("started Cluster API management cluster " + CapiManagementCluster.NAME);
        }
        if (options.outDir() != null) {
            FleetFiles.writeAll(options.outDir(), this);
        }
    }

    private SimulatedCluster startCluster(ClusterProfile profile) {
        List<HasMetadata> objects = ClusterContents.generate(profile, options.objectsPerCluster(), started);
        return SimulatedCluster.start(
                profile, objects, traffic, control.baseUrl(), scheduler, options.clock(), options.controllerDelay());
    }

    /** The clusters, in plan order and then in the order they were added. */
    public synchronized List<SimulatedCluster> clusters() {
        // Skips clusters still starting (reserved by addCluster).
        return clusters.values().stream().filter(Objects::nonNull).toList();
    }

    /** The cluster of that name; a {@link FleetException} (404) if there is none. */
    public synchronized SimulatedCluster cluster(String name) {
        SimulatedCluster cluster = clusters.get(name);
        if (cluster == null) {
            throw FleetException.notFound("unknown cluster '" + name + "'");
        }
        return cluster;
    }

    /** Adds a cluster to the running fleet; rewrites fleet.json and registers it in CAPI when those exist. */
    public SimulatedCluster addCluster(Cloud cloud, String environment, String region) {
        ClusterProfile profile;
        synchronized (this) {
            profile = FleetLayout.next(cloud, environment, region, clusters.keySet(), options.seed());
            // Reserve the name while the cluster starts, so two concurrent adds cannot pick the same one.
            clusters.put(profile.name(), null);
        }
        SimulatedCluster cluster;
        try {
            cluster = startCluster(profile);
        } catch (RuntimeException e) {
            synchronized (this) {
                clusters.remove(profile.name());
            }
            throw e;
        }
        synchronized (this) {
            clusters.put(profile.name(), cluster);
        }
        if (capi != null) {
            capi.register(cluster);
        }
        if (options.outDir() != null) {
            FleetFiles.writeKubeconfig(options.outDir(), cluster.name(), cluster.kubeconfig());
            FleetFiles.writeFleetJson(options.outDir(), this);
        }
        return cluster;
    }

    /** What fleet.json holds: one inventory registration body per cluster. */
    public List<Map<String, Object>> registrations() {
        return clusters().stream().map(SimulatedCluster::registration).toList();
    }

    public Optional<CapiManagementCluster> capi() {
        return Optional.ofNullable(capi);
    }

    public TrafficMatrix traffic() {
        return traffic;
    }

    /** Seconds since the fleet started, by the fleet's clock: the time axis of every metric. */
    public double elapsedSeconds() {
        return Duration.between(started, options.clock().instant()).toMillis() / 1000.0;
    }

    /** The Prometheus text of one cluster now. */
    public String metrics(String clusterName) {
        return cluster(clusterName).metrics().render(elapsedSeconds());
    }

    public int controlPort() {
        return control.port();
    }

    /** The control API base URL, e.g. {@code http://127.0.0.1:7070}. */
    public String controlUrl() {
        return control.baseUrl();
    }

    public FleetOptions options() {
        return options;
    }

    @Override
    public void close() {
        if (control != null) {
            control.stop();
        }
        scheduler.shutdownNow();
        List<SimulatedCluster> all;
        synchronized (this) {
            all = clusters.values().stream().filter(Objects::nonNull).toList();
            clusters.clear();
        }
        all.forEach(SimulatedCluster::close);
        if (capi != null) {
            capi.close();
        }
    }
}
