package io.meridian.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * An isolated local stack for benchmarks (its own MERIDIAN_HOME and ports), so figures never mix with a
 * developer's stack or demo and every run starts from empty topics and tables.
 */
final class LocalStack {

    static final int KAFKA = 29092;
    static final int KAFKA_CONTROLLER = 29093;
    // Below the kernel's ephemeral range (32768-60999), where outgoing connections take their ports.
    static final int POSTGRES = 27432;
    static final int KEYCLOAK = 28180;

    private final Path repo;
    private final Path home;

    LocalStack(Path repo) {
        this.repo = repo;
        this.home = repo.resolve(".meridian/bench");
    }

    String kafka() {
        return "127.0.0.1:" + KAFKA;
    }

    String keycloak() {
        return "http://127.0.0.1:" + KEYCLOAK;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + POSTGRES + "/meridian";
    }

    String reactiveUrl() {
        return "postgresql://127.0.0.1:" + POSTGRES + "/meridian";
    }

    /** Starts from scratch: stops a previous bench stack and deletes its data. */
    void freshUp() throws IOException, InterruptedException {
        run("stack", "reset");
        run("stack", "up");
    }

    void down() throws IOException, InterruptedException {
        run("stack", "down");
    }

    private void run(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = repo.resolve("bin/meridian").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        pb.environment()
                .putAll(Map.of(
                        "MERIDIAN_HOME", home.toString(),
                        "MERIDIAN_KAFKA_PORT", Integer.toString(KAFKA),
                        "MERIDIAN_KAFKA_CONTROLLER_PORT", Integer.toString(KAFKA_CONTROLLER),
                        "MERIDIAN_PG_PORT", Integer.toString(POSTGRES),
                        "MERIDIAN_KEYCLOAK_PORT", Integer.toString(KEYCLOAK)));
        int exit = pb.start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("bin/meridian " + String.join(" ", args) + " failed with exit " + exit);
        }
    }
}
