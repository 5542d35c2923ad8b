package io.meridian.systemtests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Kafka, PostgreSQL and Keycloak started by {@code bin/meridian stack} under a home of their own and on ports that
 * never collide with a developer's stack (which uses 9092, 15432 and 8180).
 */
final class LocalStack {

    static final int KAFKA_PORT = 19092;
    static final int KAFKA_CONTROLLER_PORT = 19093;
    static final int POSTGRES_PORT = 25432;
    static final int KEYCLOAK_PORT = 18180;

    private static final int FAILURE_LINES = 12;

    private final Path repo;
    private final Path home;

    LocalStack(Path repo, Path home) {
        this.repo = repo;
        this.home = home;
    }

    Path home() {
        return home;
    }

    Path logs() {
        return home.resolve("logs");
    }

    String kafkaBootstrapServers() {
        return "127.0.0.1:" + KAFKA_PORT;
    }

    /** The base of the JDBC and reactive URLs of the database {@code meridian}. */
    String postgresUrlBase() {
        return "127.0.0.1:" + POSTGRES_PORT + "/meridian";
    }

    String keycloakUrl() {
        return "http://127.0.0.1:" + KEYCLOAK_PORT;
    }

    String realmUrl() {
        return keycloakUrl() + "/realms/meridian";
    }

    /**
     * Starts the stack from empty Kafka and PostgreSQL data ({@code stack reset}), so that a run never sees what an
     * earlier run registered; downloads and Keycloak's realm are kept.
     */
    void start() {
        run("stack", "reset");
        run("stack", "up");
    }

    void stop() {
        run("stack", "down");
    }

    private void run(String... args) {
        List<String> command = Stream.concat(
                        Stream.of(repo.resolve("bin/meridian").toString()), Stream.of(args))
                .toList();
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("MERIDIAN_HOME", home.toString());
        env.put("MERIDIAN_KAFKA_PORT", Integer.toString(KAFKA_PORT));
        env.put("MERIDIAN_KAFKA_CONTROLLER_PORT", Integer.toString(KAFKA_CONTROLLER_PORT));
        env.put("MERIDIAN_PG_PORT", Integer.toString(POSTGRES_PORT));
        env.put("MERIDIAN_KEYCLOAK_PORT", Integer.toString(KEYCLOAK_PORT));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        // The Maven build running these tests may itself hold the machine's Maven lock (see bin/meridian):
        // the Maven calls of 'stack up' (downloads, contracts' class path) must not wait for it.
        env.put("MERIDIAN_MVN_LOCK", home.resolve("mvn.lock").toString());
        String what = "bin/meridian " + String.join(" ", args);
        try {
            Files.createDirectories(home);
            Process process = builder.start();
            // The last lines go into the failure message, on one line, so that a build log that shows only the test
            // summary still says why the stack did not start.
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
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(what + " did not finish within 10 minutes");
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
