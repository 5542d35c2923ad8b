package io.meridian.bench;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.meridian.fleetsim.Fleet;
import io.meridian.fleetsim.FleetOptions;
import io.meridian.fleetsim.SimulatedCluster;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the simulator itself costs per workload: a Deployment applied to every cluster, as inventory applies a
 * placement bundle, and the simulated controllers making its ReplicaSet, pods and status. Nothing else runs: no
 * Kafka, no services, so the figure is the simulator's own, and the CPU its controllers' threads used is counted
 * exactly ({@link ThreadMXBean}). {@code bench placement} shares the two cores with it; a change to the simulator
 * is judged here first, without that run's noise.
 *
 * <p>{@code bench simulator [--clusters 100] [--objects 150] [--workloads 10] [--warmup 3] [--replicas 2]
 * [--controller-delay-ms 100] [--watch true|false]}: with {@code --watch true}, every cluster's pods, ReplicaSets and
 * Deployments are watched, as inventory watches them.
 */
final class SimulatorBench {

    private static final Duration AVAILABLE_WITHIN = Duration.ofSeconds(120);
    private static final String MANAGER = "meridian-placement";

    private final Map<String, String> options;
    private final Path repo;

    SimulatorBench(Map<String, String> options, Path repo) {
        this.options = options;
        this.repo = repo;
    }

    void run() throws Exception {
        int clusters = Options.number(options, "clusters", 100);
        int workloads = Options.number(options, "workloads", 10);
        int warmup = Options.number(options, "warmup", 3);
        int replicas = Options.number(options, "replicas", 2);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        threads.setThreadCpuTimeEnabled(true);
        try (Fleet fleet = Fleet.start(
                FleetOptions.defaults()
                        .withClusters(clusters)
                        .withObjectsPerCluster(Options.number(options, "objects", 150))
                        .withControlPort(0)
                        .withControllerDelay(Duration.ofMillis(Options.number(options, "controller-delay-ms", 100)))
                        .withOutDir(repo.resolve(".meridian/bench/simulator")),
                line -> System.out.println("fleet-sim: " + line))) {
            List<SimulatedCluster> all = fleet.clusters();
            // Every write is sent to the watches that select it, by the writing thread: as inventory watches these
            // kinds on every cluster, so does the bench (what it is sent is dropped).
            List<Watch> watches = new ArrayList<>();
            if (options.getOrDefault("watch", "true").equals("true")) {
                for (SimulatedCluster cluster : all) {
                    KubernetesClient client = cluster.client();
                    watches.add(client.pods().inAnyNamespace().watch(new Dropping<>()));
                    watches.add(client.apps().replicaSets().inAnyNamespace().watch(new Dropping<>()));
                    watches.add(client.apps().deployments().inAnyNamespace().watch(new Dropping<>()));
                }
            }
            ExecutorService appliers = Executors.newFixedThreadPool(8);
            Stats wall = new Stats();
            Stats controllerMillisPerCluster = new Stats();
            Stats jvmMillisPerCluster = new Stats();
            try {
                for (int i = 1; i <= warmup + workloads; i++) {
                    String name = String.format("sim-%03d", i);
                    double controllersBefore = controllerCpuSeconds(threads);
                    double jvmBefore = CpuTime.ofThisJvm();
                    long start = System.nanoTime();
                    applyEverywhere(appliers, all, name, replicas);
                    awaitAvailableEverywhere(all, name, replicas);
                    double millis = (System.nanoTime() - start) / 1e6;
                    double controllers = controllerCpuSeconds(threads) - controllersBefore;
                    double jvm = CpuTime.ofThisJvm() - jvmBefore;
                    System.out.printf(
                            "%s %s: available on %d clusters after %.0f ms; controllers %.1f CPU-ms a cluster, the"
                                    + " whole simulator (and this bench's client) %.1f%n",
                            i > warmup ? "workload" : "warm-up",
                            name,
                            all.size(),
                            millis,
                            1000 * controllers / all.size(),
                            1000 * jvm / all.size());
                    if (i > warmup) {
                        wall.add(millis);
                        controllerMillisPerCluster.add(1000 * controllers / all.size());
                        jvmMillisPerCluster.add(1000 * jvm / all.size());
                    }
                }
            } finally {
                appliers.shutdownNow();
                watches.forEach(Watch::close);
            }
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            new Table("simulator: " + clusters + " clusters, a Deployment of " + replicas + " replicas on each, "
                            + Runtime.getRuntime().availableProcessors() + " cores")
                    .latency("apply -> available on every cluster (controller delay included)", wall)
                    .row(
                            "controllers' CPU per cluster and Deployment (ReplicaSet, pods, status)",
                            String.format(
                                    "p50 %.1f ms, max %.1f ms (n=%d)",
                                    controllerMillisPerCluster.percentile(50),
                                    controllerMillisPerCluster.max(),
                                    controllerMillisPerCluster.count()))
                    .row(
                            "whole JVM's CPU per cluster and Deployment (API server, controllers, this client)",
                            String.format(
                                    "p50 %.1f ms, max %.1f ms (n=%d)",
                                    jvmMillisPerCluster.percentile(50),
                                    jvmMillisPerCluster.max(),
                                    jvmMillisPerCluster.count()))
                    .row("heap used after GC, at the end", LiveHeap.mib(heap))
                    .print();
        }
    }

    /** A watcher that drops what it is sent. */
    private static final class Dropping<T> implements Watcher<T> {
        @Override
        public void eventReceived(Action action, T resource) {}

        @Override
        public void onClose(WatcherException cause) {}
    }

    /** CPU seconds of the simulator's controller threads so far (they run on its scheduler's threads). */
    private static double controllerCpuSeconds(ThreadMXBean threads) {
        long nanos = 0;
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("fleet-sim-scheduler")) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                nanos += Math.max(0, cpu);
            }
        }
        return nanos / 1e9;
    }

    private static void applyEverywhere(
            ExecutorService appliers, List<SimulatedCluster> clusters, String name, int replicas) throws Exception {
        List<Future<?>> applied = clusters.stream()
                .map(c -> appliers.submit(() -> c.client()
                        .resource(deployment(name, replicas))
                        .fieldManager(MANAGER)
                        .forceConflicts()
                        .serverSideApply()))
                .<Future<?>>map(f -> f)
                .toList();
        for (Future<?> f : applied) {
            f.get();
        }
    }

    private static void awaitAvailableEverywhere(List<SimulatedCluster> clusters, String name, int replicas)
            throws InterruptedException {
        long deadline = System.nanoTime() + AVAILABLE_WITHIN.toNanos();
        for (SimulatedCluster cluster : clusters) {
            KubernetesClient client = cluster.client();
            while (true) {
                Deployment d = client.apps()
                        .deployments()
                        .inNamespace("bench")
                        .withName(name)
                        .get();
                if (d != null
                        && d.getStatus() != null
                        && d.getStatus().getObservedGeneration() != null
                        && d.getStatus().getObservedGeneration()
                                >= d.getMetadata().getGeneration()
                        && d.getStatus().getAvailableReplicas() != null
                        && d.getStatus().getAvailableReplicas() >= replicas) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " not available on " + cluster.name() + " within "
                            + AVAILABLE_WITHIN.toSeconds() + " s");
                }
                Thread.sleep(20);
            }
        }
    }

    private static Deployment deployment(String name, int replicas) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("bench")
                .addToLabels("app.kubernetes.io/managed-by", "meridian")
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("web")
                .withImage("nginx:1.27")
                .withNewResources()
                .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("10m"))
                .addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("16Mi"))
                .endResources()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }
}
