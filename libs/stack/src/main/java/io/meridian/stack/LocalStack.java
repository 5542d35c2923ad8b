package io.meridian.stack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Kafka, PostgreSQL and Keycloak started by {@code bin/meridian stack} under a home of their own and on their own
 * {@link StackPorts}, so that they never mix with a developer's stack or another user's.
 */
public final class LocalStack {

    private static final int FAILURE_LINES = 12;
    private static final long COMMAND_TIMEOUT_MINUTES = 10;

    private final Path repo;
    private final Path home;
    private final StackPorts ports;
    private final MavenLock mavenLock;

    /** Which lock serializes the Maven calls of {@code stack up} (downloads, the contracts' class path) with builds. */
    public enum MavenLock {
        /** The machine's lock, as {@code bin/meridian} takes by default: for a stack started outside any Maven build. */
        MACHINE,
        /**
         * A lock in the stack's home: for a stack started from inside a Maven build, which may hold the machine's lock
         * itself, so that {@code stack up} never waits for its own parent.
         */
        OWN
    }

    /**
     * @param repo the repository root, where {@code bin/meridian} is
     * @param home the stack's {@code MERIDIAN_HOME}: downloads, data, pid files and logs
     */
    public LocalStack(Path repo, Path home, StackPorts ports, MavenLock mavenLock) {
        this.repo = repo;
        this.home = home;
        this.ports = ports;
        this.mavenLock = mavenLock;
    }

    public Path home() {
        return home;
    }

    /** Where the stack's components log, and where the services started on it log by convention. */
    public Path logs() {
        return home.resolve("logs");
    }

    public StackPorts ports() {
        return ports;
    }

    public String kafkaBootstrapServers() {
        return "127.0.0.1:" + ports.kafka();
    }

    /** The base of the JDBC and reactive URLs of the database {@code meridian}. */
    public String postgresUrlBase() {
        return "127.0.0.1:" + ports.postgres() + "/meridian";
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + postgresUrlBase();
    }

    public String reactiveUrl() {
        return "postgresql://" + postgresUrlBase();
    }

    public String keycloakUrl() {
        return "http://127.0.0.1:" + ports.keycloak();
    }

    /** The Keycloak realm {@code meridian}. */
    public String realmUrl() {
        return keycloakUrl() + "/realms/meridian";
    }

    /** The system properties that point a service at this stack: Kafka, its database and the OIDC realm. */
    public Map<String, String> serviceProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("kafka.bootstrap.servers", kafkaBootstrapServers());
        properties.put("quarkus.datasource.jdbc.url", jdbcUrl());
        properties.put("quarkus.datasource.reactive.url", reactiveUrl());
        properties.put("quarkus.oidc.auth-server-url", realmUrl());
        return properties;
    }

    /**
     * Where {@code stack up} keeps Kafka's users: {@code <user>.password} for each principal of contracts' ACL catalog
     * (owner-only files, kept across {@code stack reset}) and {@code admin.properties}, the super user's client
     * settings.
     */
    public Path kafkaUsers() {
        return home.resolve("kafka/users");
    }

    /**
     * The environment that makes a service log in to this stack's Kafka as its own principal (the user named like the
     * service), as service-kit's {@code kafka.*} settings read it. In the environment, not on the command line, so the
     * password never shows in a process list.
     */
    public Map<String, String> serviceKafkaEnvironment(String service) {
        Path file = kafkaUsers().resolve(service + ".password");
        String password;
        try {
            password = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "no Kafka password for " + service + " (" + file + "): 'bin/meridian stack up' makes it", e);
        }
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("MERIDIAN_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
        environment.put("MERIDIAN_KAFKA_USERNAME", service);
        environment.put("MERIDIAN_KAFKA_PASSWORD", password);
        return environment;
    }

    /**
     * Starts the stack from empty Kafka and PostgreSQL data ({@code stack reset}, then {@code stack up}), so that a
     * run never sees what an earlier run left; downloads and Keycloak's realm are kept.
     */
    public void start() {
        run("stack", "reset");
        run("stack", "up");
    }

    /**
     * Stops one component and starts it again with its data ({@code stack up}) after {@code downFor}: {@code kafka}
     * crashes (SIGKILL: a single combined KRaft node's controlled shutdown can take a minute and more), {@code postgres}
     * is shut down fast (SIGINT: every session ends at once).
     */
    public void restart(String component, Duration downFor) {
        String signal = switch (component) {
            case "kafka" -> "KILL";
            case "postgres" -> "INT";
            default -> throw new IllegalArgumentException("only kafka and postgres are restarted, not " + component);
        };
        Path pidFile = home.resolve("run").resolve(component + ".pid");
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException(component + " is not running (no pid in " + pidFile + ")", e);
        }
        ProcessHandle process = ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException(component + " (pid " + pid + ") is not running"));
        try {
            int rc = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .inheritIO()
                    .start()
                    .waitFor();
            if (rc != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed with " + rc);
            }
            process.onExit().get(60, TimeUnit.SECONDS);
            Thread.sleep(downFor.toMillis());
        } catch (IOException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot stop " + component, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(component + " did not stop within 60 s of SIG" + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        // Only the stopped component starts; Kafka's topics, users and ACLs came back with its data, so the bootstrap
        // (two JVMs, over a minute on a loaded machine) is skipped.
        run(Map.of("MERIDIAN_KAFKA_BOOTSTRAP", "never"), "stack", "up");
    }

    /** Stops every component of the stack ({@code stack down}). */
    public void stop() {
        run("stack", "down");
    }

    private void run(String... args) {
        run(Map.of(), args);
    }

    private void run(Map<String, String> extraEnvironment, String... args) {
        List<String> command = Stream.concat(
                        Stream.of(repo.resolve("bin/meridian").toString()), Stream.of(args))
                .toList();
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("MERIDIAN_HOME", home.toString());
        env.putAll(ports.environment());
        // The stack runs on the JDK that runs this code, which is new enough for it: bin/meridian would otherwise pick
        // whatever JAVA_HOME or PATH holds.
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.putAll(extraEnvironment);
        if (mavenLock == MavenLock.OWN) {
            env.put("MERIDIAN_MVN_LOCK", home.resolve("mvn.lock").toString());
        }
        String what = "bin/meridian " + String.join(" ", args);
        try {
            Files.createDirectories(home);
            Process process = builder.start();
            // The last lines go into the failure message, on one line, so that a log that shows only the summary (a
            // build's test report, a benchmark's table) still says why the stack did not start.
            Deque<String> last = new ArrayDeque<>();
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    System.out.println("[stack] " + line);
                    if (last.size() == FAILURE_LINES) {
                        last.removeFirst();
                    }
                    last.addLast(line);
                }
            }
            if (!process.waitFor(COMMAND_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        what + " did not finish within " + COMMAND_TIMEOUT_MINUTES + " minutes");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(what + " failed with exit code " + process.exitValue() + " (logs in "
                        + logs() + "); its last lines: " + String.join(" | ", last));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + what, e);
        }
    }
}
