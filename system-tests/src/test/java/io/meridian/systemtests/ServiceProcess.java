package io.meridian.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** One packaged Meridian service running as its own process, configured by system properties on its command line. */
public final class ServiceProcess {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * Service ports come from below Linux's default ephemeral range (32768-60999). A port taken there with
     * {@code new ServerSocket(0)} and released again can be handed to any outgoing connection or port-0 listener
     * (Kafka clients, the simulated fleet's API servers) before the service binds it; this range the kernel does not
     * hand out on its own.
     */
    private static final int FIRST_PORT = 20000;

    private static final int LAST_PORT = 32000;

    private static final AtomicInteger NEXT_PORT =
            new AtomicInteger(FIRST_PORT + (int) (ProcessHandle.current().pid() % 1000) * 10);

    private final Service service;
    private final int port;
    private final Path log;
    private final Process process;
    private final Restart restart;

    private ServiceProcess(Service service, int port, Path log, Process process, Restart restart) {
        this.service = service;
        this.port = port;
        this.log = log;
        this.process = process;
        this.restart = restart;
    }

    /** What it takes to start the same service again. */
    private record Restart(Path repo, Path logs, Map<String, String> properties, Map<String, String> environment) {}

    /**
     * Starts the service's packaged jar on a free port.
     *
     * @param properties system properties for the service (Kafka, PostgreSQL and Keycloak of the stack)
     * @param environment environment variables, for what must not show on a command line (keys)
     */
    static ServiceProcess start(
            Path repo, Path logs, Service service, Map<String, String> properties, Map<String, String> environment) {
        Path jar = service.jar(repo);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the system tests run the packaged services. Build them"
                    + " first (./mvnw verify from the repository root builds everything before this module, or"
                    + " ./mvnw install -DskipTests, then ./mvnw verify -pl system-tests)");
        }
        int port = freePort();
        Restart restart = new Restart(repo, logs, properties, environment);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(service == Service.INVENTORY ? "-Xmx384m" : "-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-Dquarkus.http.port=" + port);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        Path log = logs.resolve(service.serviceName() + ".log");
        try {
            Files.createDirectories(logs);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(repo.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            return new ServiceProcess(service, port, log, builder.start(), restart);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + service.serviceName(), e);
        }
    }

    public Service service() {
        return service;
    }

    public int port() {
        return port;
    }

    /** For example {@code http://127.0.0.1:41234}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Whether {@code /q/health/ready} answers 200 (Kafka, PostgreSQL and the service's own checks are up). */
    boolean isReady() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
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

    /** The last lines of the service's log, to explain a failure. */
    public String logTail(int lines) {
        try {
            if (!Files.exists(log)) {
                return "(no log)";
            }
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** Whether the process ended because its HTTP port was taken between choosing it and binding it. */
    boolean lostItsPort() {
        return !process.isAlive() && logTail(200).contains("seems to be in use by another process");
    }

    /** The same service started again on another port. */
    ServiceProcess startedOnAnotherPort() {
        return start(restart.repo(), restart.logs(), service, restart.properties(), restart.environment());
    }

    /** Stops the service gracefully (SIGTERM), then forcibly after 20 s. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static int freePort() {
        for (int attempt = 0; attempt < LAST_PORT - FIRST_PORT; attempt++) {
            int port = NEXT_PORT.getAndUpdate(p -> p >= LAST_PORT ? FIRST_PORT : p + 1);
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(port));
                return port;
            } catch (IOException e) {
                // taken: try the next one
            }
        }
        throw new IllegalStateException("no free port between " + FIRST_PORT + " and " + LAST_PORT);
    }

    @Override
    public String toString() {
        return service.serviceName() + " on " + baseUrl();
    }
}
