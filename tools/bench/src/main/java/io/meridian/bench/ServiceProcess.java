package io.meridian.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One packaged Meridian service started as its own process, as in production. */
final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final int port;

    private ServiceProcess(String name, Process process, int port) {
        this.name = name;
        this.process = process;
        this.port = port;
    }

    static ServiceProcess start(Path repo, String service, int port, Map<String, String> config)
            throws IOException, InterruptedException {
        Path jar = repo.resolve("services/" + service + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw install -DskipTests first");
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        // The JVM's own choice of collector (G1 on this machine), as a service runs by default. Parallel GC, used
        // before, stopped inventory for 250-800 ms at a time once it held a 100-cluster fleet: pauses that showed as
        // the slowest rounds of the bundle benchmark.
        // BENCH_SERVICE_JAVA_OPTS applies to every service, e.g. "-XX:StartFlightRecording=filename=/tmp/%p.jfr" to
        // profile a run; BENCH_<SERVICE>_JAVA_OPTS (BENCH_INVENTORY_JAVA_OPTS, ...) to one, e.g. the heap and collector
        // its Kubernetes manifest gives it.
        for (String variable :
                List.of("BENCH_SERVICE_JAVA_OPTS", "BENCH_" + service.toUpperCase(Locale.ROOT) + "_JAVA_OPTS")) {
            String extra = System.getenv(variable);
            if (extra != null && !extra.isBlank()) {
                command.addAll(java.util.Arrays.asList(extra.trim().split("\\s+")));
            }
        }
        command.add("-Dquarkus.http.port=" + port);
        config.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar.toString());
        Path log = repo.resolve(".meridian/bench/logs/" + service + ".log");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ServiceProcess started = new ServiceProcess(service, process, port);
        started.awaitReady(Duration.ofSeconds(90), log);
        return started;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Resident set size of the service process, in MiB. */
    long rssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    private void awaitReady(Duration timeout, Path log) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during startup; see " + log);
            }
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " not ready within " + timeout + "; see " + log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
