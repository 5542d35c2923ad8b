package io.meridian.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One packaged Meridian service running as its own process, as in production, configured by its command line. */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration READY_POLL = Duration.ofMillis(250);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(30);
    private static final int FAILURE_LINES = 40;
    private static final int READINESS_CHARS = 1500;

    private final ServiceLaunch launch;
    private final Process process;

    private ServiceProcess(ServiceLaunch launch, Process process) {
        this.launch = launch;
        this.process = process;
    }

    /**
     * Starts the service's packaged jar with the JDK that runs this code, its output (both streams) in
     * {@link ServiceLaunch#log()}, and returns at once: see {@link #isReady()} and {@link #awaitReady(Duration)}.
     */
    public static ServiceProcess start(ServiceLaunch launch) {
        return start(launch, false);
    }

    private static ServiceProcess start(ServiceLaunch launch, boolean appendToLog) {
        Path jar = launch.jar();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the services first (./mvnw install -DskipTests"
                    + " from the repository root)");
        }
        List<String> command = launch.command(Path.of(System.getProperty("java.home"), "bin", "java"));
        try {
            Files.createDirectories(launch.logs());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(launch.repo().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(
                            appendToLog
                                    ? ProcessBuilder.Redirect.appendTo(
                                            launch.log().toFile())
                                    : ProcessBuilder.Redirect.to(launch.log().toFile()));
            builder.environment().putAll(launch.environment());
            return new ServiceProcess(launch, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + launch.service(), e);
        }
    }

    /** The service's name, as in {@code services/<name>}. */
    public String service() {
        return launch.service();
    }

    public int port() {
        return launch.port();
    }

    /** The port of the management interface: health, metrics and OpenAPI. */
    public int managementPort() {
        return launch.managementPort();
    }

    public long pid() {
        return process.pid();
    }

    /** The REST API, for example {@code http://127.0.0.1:18081}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + launch.port();
    }

    /**
     * The management interface, for example {@code http://127.0.0.1:19081}: {@code /q/health/*}, {@code /q/metrics},
     * {@code /q/openapi}.
     */
    public String managementUrl() {
        return "http://127.0.0.1:" + launch.managementPort();
    }

    public Path log() {
        return launch.log();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Whether {@code /q/health/ready} on the management port answers 200 (Kafka, PostgreSQL and the service's own
     * checks are up).
     */
    public boolean isReady() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(managementUrl() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * What {@code /q/health/ready} says now, for a failure message: the status code and the body on one line (each
     * check with its status and data, e.g. which streams a fleet view is still reading), or why it did not answer.
     */
    public String readiness() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(managementUrl() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            String body = response.body().replaceAll("\\s+", " ").strip();
            return response.statusCode() + " "
                    + (body.length() > READINESS_CHARS ? body.substring(0, READINESS_CHARS) + "..." : body);
        } catch (IOException e) {
            return "no answer (" + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * Waits until the service is ready.
     *
     * @throws IllegalStateException when the process exits first or the timeout passes, with the end of its log
     */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isReady()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(service() + " exited during startup with exit code "
                        + process.exitValue() + "; log " + log() + ":\n" + logTail(FAILURE_LINES));
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(service() + " not ready within " + timeout + " on " + managementUrl()
                        + " (" + readiness() + "); log " + log() + ":\n" + logTail(FAILURE_LINES));
            }
            try {
                Thread.sleep(READY_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + service(), e);
            }
        }
    }

    /** Resident set size of the service process ({@code VmRSS}), in MiB; -1 when the kernel does not say. */
    public long rssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the RSS of " + this, e);
        }
    }

    /** The last lines of the service's log, to explain a failure. */
    public String logTail(int lines) {
        try {
            if (!Files.exists(log())) {
                return "(no log)";
            }
            List<String> all = Files.readAllLines(log(), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log() + ": " + e + ")";
        }
    }

    /**
     * Whether the process ended because its API or management port was taken between choosing it and binding it
     * (Quarkus says so in its log), which a caller that picked the ports with {@link FreePorts} answers with
     * {@link #restartedOn(int, int)}.
     */
    public boolean lostItsPort() {
        return !process.isAlive() && logTail(200).contains("seems to be in use by another process");
    }

    /** The same service started again, with the same launch, on other ports. */
    public ServiceProcess restartedOn(int port, int managementPort) {
        return start(launch.withPorts(port, managementPort));
    }

    /**
     * The same service started again with the same launch and ports, its output appended to the same log: what a
     * supervisor does after a crash.
     */
    public ServiceProcess restarted() {
        return start(launch, true);
    }

    /** Kills the process at once (SIGKILL): no shutdown hook runs, nothing is flushed or released. */
    public void kill() {
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the service gracefully (SIGTERM to its pid), then forcibly once the grace period has passed. */
    public void stop(Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Stops the service, allowing it 30 s to shut down gracefully. */
    @Override
    public void close() {
        stop(CLOSE_GRACE);
    }

    @Override
    public String toString() {
        return service() + " on " + baseUrl() + " (management " + managementUrl() + ")";
    }
}
