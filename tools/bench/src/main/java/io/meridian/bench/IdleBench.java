package io.meridian.bench;

import io.meridian.fleetsim.Fleet;
import io.meridian.fleetsim.FleetOptions;
import io.meridian.stack.ServiceProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bench idle [--clusters 100] [--objects 300] [--seconds 300] [--settle 60] [--keep-stack]}: all six packaged
 * services on an isolated stack, the simulated fleet (in this JVM) registered with inventory, and then nothing
 * changing. After every cluster is Ready and {@code --settle} seconds more, it reads the CPU time of each process over
 * {@code --seconds} (from {@code /proc}, every 10 s): each service, the simulator (this JVM, which otherwise only
 * sleeps), and the rest of the machine (Kafka, PostgreSQL, Keycloak, the operating system). What a fleet at rest costs
 * is what Meridian costs most of the time.
 */
final class IdleBench {

    // Each service's share is read every 10 s, so a periodic task that runs once a minute shows as its busiest window.
    private static final int WINDOW_SECONDS = 10;
    private static final List<String> SERVICES =
            List.of("inventory", "identity", "policy", "cost", "observability", "placement");

    private final Map<String, String> options;
    private final Path repo;

    IdleBench(Map<String, String> options, Path repo) {
        this.options = options;
        this.repo = repo;
    }

    void run() throws Exception {
        int clusters = Options.number(options, "clusters", 100);
        int objects = Options.number(options, "objects", 300);
        int seconds = Options.number(options, "seconds", 300);
        int settle = Options.number(options, "settle", 60);
        BenchStack stack = new BenchStack(repo);
        stack.freshUp();
        Map<String, ServiceProcess> services = new LinkedHashMap<>();
        try (Fleet fleet =
                stack.fleet(FleetOptions.defaults().withClusters(clusters).withObjectsPerCluster(objects))) {
            try {
                for (String service : SERVICES) {
                    services.put(service, stack.start(service));
                }
                measure(fleet, stack, services, clusters, objects, seconds, settle);
            } finally {
                // Before the fleet goes: the services would only log its clusters going away.
                services.values().forEach(ServiceProcess::close);
            }
        } finally {
            if (!options.containsKey("keep-stack")) {
                stack.down();
            }
        }
    }

    /** Registers the fleet, waits until it is Ready and has settled, then reads every process's CPU time. */
    private static void measure(
            Fleet fleet,
            BenchStack stack,
            Map<String, ServiceProcess> services,
            int clusters,
            int objects,
            int seconds,
            int settle)
            throws Exception {
        Api inventory = new Api(services.get("inventory").baseUrl(), Api.token(stack.keycloak(), "admin"));
        Bench.registerAndAwaitReady(fleet, inventory, clusters);
        System.out.printf("settling for %d s before measuring%n", settle);
        Thread.sleep(settle * 1000L);

        List<String> rows = new ArrayList<>(SERVICES);
        rows.add("all six services");
        rows.add("simulator (this JVM)");
        rows.add("rest of the machine");
        Map<String, Usage> usage = new LinkedHashMap<>();
        rows.forEach(row -> usage.put(row, new Usage()));
        Map<String, Double> last = sample(services);
        long start = System.nanoTime();
        long lastAt = start;
        while (Bench.seconds(start) < seconds) {
            Thread.sleep(WINDOW_SECONDS * 1000L);
            Map<String, Double> now = sample(services);
            double window = Bench.seconds(lastAt);
            lastAt = System.nanoTime();
            for (String row : rows) {
                usage.get(row).add(now.get(row) - last.get(row), window);
            }
            last = now;
            System.out.printf(
                    "%.0f s: services %.3f cores, simulator %.3f, rest %.3f%n",
                    Bench.seconds(start),
                    usage.get("all six services").lastCores(),
                    usage.get("simulator (this JVM)").lastCores(),
                    usage.get("rest of the machine").lastCores());
        }
        Table table = new Table("idle: six services, " + clusters + " clusters x " + objects
                + " objects Ready and nothing changing, CPU over " + seconds + " s in " + WINDOW_SECONDS
                + "-s windows, 2 cores (goal: the services together <= 0.2 core)");
        usage.forEach((row, u) -> table.row(
                row,
                String.format(
                        "%.3f cores on average, %.3f in the busiest window (%.1f CPU-s)",
                        u.averageCores(), u.maxCores(), u.cpuSeconds())));
        for (Map.Entry<String, ServiceProcess> service : services.entrySet()) {
            table.row(service.getKey() + " RSS", service.getValue().rssMiB() + " MiB");
        }
        table.print();
    }

    /** CPU seconds used so far by each service, all of them, the simulator and the rest of the machine. */
    private static Map<String, Double> sample(Map<String, ServiceProcess> services) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        double all = 0;
        for (Map.Entry<String, ServiceProcess> service : services.entrySet()) {
            double used = CpuTime.ofProcess(service.getValue().pid());
            if (Double.isNaN(used)) {
                throw new IllegalStateException("cannot read the CPU time of " + service.getKey() + " (pid "
                        + service.getValue().pid() + "): has it stopped? See "
                        + service.getValue().log());
            }
            cpu.put(service.getKey(), used);
            all += used;
        }
        double simulator = CpuTime.ofThisJvm();
        cpu.put("all six services", all);
        cpu.put("simulator (this JVM)", simulator);
        cpu.put("rest of the machine", CpuTime.ofMachine() - all - simulator);
        return cpu;
    }

    /** CPU seconds of one row, window by window. */
    private static final class Usage {
        private double cpuSeconds;
        private double seconds;
        private double maxCores;
        private double lastCores;

        void add(double cpu, double windowSeconds) {
            cpuSeconds += cpu;
            seconds += windowSeconds;
            lastCores = cpu / windowSeconds;
            maxCores = Math.max(maxCores, lastCores);
        }

        double cpuSeconds() {
            return cpuSeconds;
        }

        double averageCores() {
            return seconds == 0 ? Double.NaN : cpuSeconds / seconds;
        }

        double maxCores() {
            return maxCores;
        }

        double lastCores() {
            return lastCores;
        }
    }
}
