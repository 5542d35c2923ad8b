package io.meridian.fleetsim;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** Command line: starts a simulated fleet, writes its files, and runs until SIGTERM or Ctrl-C. */
public final class FleetSimulator {

    private static final String USAGE = """
            usage: fleet-sim [options]
              --clusters N             clusters to start (default 12)
              --seed S                 seed of names, objects and metrics (default 42)
              --objects-per-cluster M  approximate objects per cluster (default 150, at least ~130)
              --out DIR                where kubeconfigs/, fleet.json and control.port go (default .meridian/fleet-sim)
              --control-port P         control API and metrics port (default 7070, 0 = any free port)
              --capi                   also start a Cluster API management cluster (capi-mgmt)
              --parallelism K          clusters seeded at once (default: number of cores)
              --controller-delay-ms D  how long after a Deployment/StatefulSet write its controller acts (default 1000)
            """;

    private FleetSimulator() {}

    public static void main(String[] args) {
        FleetOptions options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("fleet-sim: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.print(USAGE);
            return;
        }
        long t0 = System.nanoTime();
        System.out.printf(
                "fleet-sim: starting %d clusters (seed %d, ~%d objects each)%n",
                options.clusters(), options.seed(), options.objectsPerCluster());
        Fleet fleet;
        try {
            fleet = Fleet.start(options, line -> System.out.println("fleet-sim: " + line));
        } catch (RuntimeException e) {
            System.err.println("fleet-sim: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        long objects = fleet.clusters().stream()
                .mapToLong(SimulatedCluster::objectCount)
                .sum();
        System.out.printf(
                "fleet-sim: started %d/%d clusters, %d objects, in %.1f s%n",
                fleet.clusters().size(), options.clusters(), objects, (System.nanoTime() - t0) / 1e9);
        Path out = options.outDir().toAbsolutePath();
        System.out.println("fleet-sim: control API  " + fleet.controlUrl() + "  (GET /clusters)");
        System.out.println("fleet-sim: metrics      " + fleet.controlUrl() + "/clusters/<name>/metrics");
        System.out.println("fleet-sim: fleet file   " + out.resolve("fleet.json"));
        System.out.println("fleet-sim: kubeconfigs  " + out.resolve("kubeconfigs"));
        fleet.capi().ifPresent(capi -> System.out.println("fleet-sim: CAPI         " + capi.apiServerUrl()));
        System.out.println("fleet-sim: running; Ctrl-C to stop");

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            System.out.println("fleet-sim: stopping");
                            fleet.close();
                            stopped.countDown();
                        },
                        "fleet-sim-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The options of a command line; null when help was asked for. */
    static FleetOptions parse(String[] args) {
        FleetOptions options =
                FleetOptions.defaults().withControlPort(7070).withOutDir(Path.of(".meridian", "fleet-sim"));
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--capi" -> options = options.withCapi(true);
                case "--clusters" -> options = options.withClusters(intValue(arg, value(args, ++i, arg)));
                case "--seed" -> options = options.withSeed(longValue(arg, value(args, ++i, arg)));
                case "--objects-per-cluster" ->
                    options = options.withObjectsPerCluster(intValue(arg, value(args, ++i, arg)));
                case "--out" -> options = options.withOutDir(Path.of(value(args, ++i, arg)));
                case "--control-port" -> options = options.withControlPort(intValue(arg, value(args, ++i, arg)));
                case "--parallelism" -> options = options.withParallelism(intValue(arg, value(args, ++i, arg)));
                case "--controller-delay-ms" ->
                    options = options.withControllerDelay(
                            java.time.Duration.ofMillis(longValue(arg, value(args, ++i, arg))));
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        return options;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int intValue(String option, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, got '" + text + "'");
        }
    }

    private static long longValue(String option, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, got '" + text + "'");
        }
    }
}
