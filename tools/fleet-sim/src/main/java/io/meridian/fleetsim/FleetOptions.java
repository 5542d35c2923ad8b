package io.meridian.fleetsim;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * How to start a fleet.
 *
 * @param objectsPerCluster approximate number of objects per cluster (at least the base set of about 130)
 * @param outDir where to write kubeconfigs, fleet.json and control.port; null writes nothing
 * @param controlPort port of the control API and metrics endpoints; 0 picks a free one
 * @param capi also start a Cluster API management cluster holding the fleet
 * @param clock the time metrics move with and objects are aged from
 * @param parallelism how many clusters are seeded at once
 * @param controllerDelay how long after a write of a Deployment or StatefulSet spec its controller acts
 */
public record FleetOptions(
        int clusters,
        long seed,
        int objectsPerCluster,
        Path outDir,
        int controlPort,
        boolean capi,
        Clock clock,
        int parallelism,
        Duration controllerDelay) {

    public FleetOptions {
        if (clusters < 0 || clusters > 1000) {
            throw new IllegalArgumentException("clusters must be between 0 and 1000, got " + clusters);
        }
        if (objectsPerCluster < 0 || objectsPerCluster > 100_000) {
            throw new IllegalArgumentException("objects per cluster must be between 0 and 100000");
        }
        if (controlPort < 0 || controlPort > 65535) {
            throw new IllegalArgumentException("control port must be between 0 and 65535, got " + controlPort);
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
        if (clock == null) {
            throw new IllegalArgumentException("clock is required");
        }
        if (controllerDelay == null
                || controllerDelay.isNegative()
                || controllerDelay.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException(
                    "the controller delay must be between 0 and 1 h, got " + controllerDelay);
        }
    }

    /** 12 clusters, seed 42, about 150 objects each, no files, a free control port, no CAPI, controllers after 1 s. */
    public static FleetOptions defaults() {
        return new FleetOptions(
                12,
                42,
                150,
                null,
                0,
                false,
                Clock.systemUTC(),
                Math.max(2, Runtime.getRuntime().availableProcessors()),
                WorkloadControllers.DEFAULT_DELAY);
    }

    public FleetOptions withClusters(int n) {
        return new FleetOptions(
                n, seed, objectsPerCluster, outDir, controlPort, capi, clock, parallelism, controllerDelay);
    }

    public FleetOptions withSeed(long s) {
        return new FleetOptions(
                clusters, s, objectsPerCluster, outDir, controlPort, capi, clock, parallelism, controllerDelay);
    }

    public FleetOptions withObjectsPerCluster(int m) {
        return new FleetOptions(clusters, seed, m, outDir, controlPort, capi, clock, parallelism, controllerDelay);
    }

    public FleetOptions withOutDir(Path dir) {
        return new FleetOptions(
                clusters, seed, objectsPerCluster, dir, controlPort, capi, clock, parallelism, controllerDelay);
    }

    public FleetOptions withControlPort(int port) {
        return new FleetOptions(
                clusters, seed, objectsPerCluster, outDir, port, capi, clock, parallelism, controllerDelay);
    }

    public FleetOptions withCapi(boolean on) {
        return new FleetOptions(
                clusters, seed, objectsPerCluster, outDir, controlPort, on, clock, parallelism, controllerDelay);
    }

    public FleetOptions withClock(Clock c) {
        return new FleetOptions(
                clusters, seed, objectsPerCluster, outDir, controlPort, capi, c, parallelism, controllerDelay);
    }

    public FleetOptions withControllerDelay(Duration delay) {
        return new FleetOptions(
                clusters, seed, objectsPerCluster, outDir, controlPort, capi, clock, parallelism, delay);
    }

    public FleetOptions withParallelism(int p) {
        return new FleetOptions(
                clusters, seed, objectsPerCluster, outDir, controlPort, capi, clock, p, controllerDelay);
    }
}
