package io.meridian.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackTest {

    @TempDir
    Path repo;

    @Test
    void startResetsThenStartsTheStackWithItsHomePortsAndThisJdk() throws IOException {
        launcher("exit 0");
        Path home = repo.resolve(".meridian/bench");
        LocalStack stack = new LocalStack(repo, home, StackPorts.BENCH, LocalStack.MavenLock.MACHINE);

        stack.start();
        stack.stop();

        String inherited = System.getenv().getOrDefault("MERIDIAN_MVN_LOCK", "none");
        String context = " home=" + home + " ports=29092,29093,27432,28180 java=" + System.getProperty("java.home")
                + " lock=" + inherited + " cwd=" + repo.toRealPath();
        assertThat(calls()).containsExactly("stack reset" + context, "stack up" + context, "stack down" + context);
    }

    @Test
    void aStackStartedInsideAMavenBuildTakesALockOfItsOwn() throws IOException {
        launcher("exit 0");
        Path home = repo.resolve("target/meridian-home");
        LocalStack stack = new LocalStack(repo, home, StackPorts.SYSTEM_TESTS, LocalStack.MavenLock.OWN);

        stack.stop();

        assertThat(calls())
                .singleElement()
                .asString()
                .contains("ports=19092,19093,25432,18180", "lock=" + home.resolve("mvn.lock"));
    }

    @Test
    void aFailedCommandSaysItsExitCodeAndItsLastTwelveLines() throws IOException {
        launcher("for i in $(seq 1 20); do printf 'line %02d\\n' \"$i\"; done; echo oops >&2; exit 4");
        LocalStack stack =
                new LocalStack(repo, repo.resolve("home"), StackPorts.SYSTEM_TESTS, LocalStack.MavenLock.OWN);

        assertThatThrownBy(stack::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bin/meridian stack reset failed with exit code 4")
                .hasMessageContaining("logs in " + repo.resolve("home/logs"))
                .hasMessageContaining("line 10 | ")
                .hasMessageEndingWith("line 20 | oops")
                .hasMessageNotContaining("line 09");
        assertThat(calls()).singleElement().asString().startsWith("stack reset ");
    }

    @Test
    void pointsServicesAtItsKafkaDatabaseAndRealm() {
        LocalStack stack = new LocalStack(repo, repo.resolve("home"), StackPorts.BENCH, LocalStack.MavenLock.MACHINE);

        assertThat(stack.serviceProperties())
                .isEqualTo(Map.of(
                        "kafka.bootstrap.servers", "127.0.0.1:29092",
                        "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:27432/meridian",
                        "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:27432/meridian",
                        "quarkus.oidc.auth-server-url", "http://127.0.0.1:28180/realms/meridian"));
        assertThat(stack.logs()).isEqualTo(repo.resolve("home/logs"));
    }

    @Test
    void aServiceLogsInToKafkaAsItselfWithThePasswordTheStackMade() throws IOException {
        LocalStack stack = new LocalStack(repo, repo.resolve("home"), StackPorts.BENCH, LocalStack.MavenLock.MACHINE);
        Path users = Files.createDirectories(repo.resolve("home/kafka/users"));
        Files.writeString(users.resolve("policy.password"), "s3cretS3cret\n");

        assertThat(stack.kafkaUsers()).isEqualTo(users);
        assertThat(stack.serviceKafkaEnvironment("policy"))
                .isEqualTo(Map.of(
                        "MERIDIAN_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                        "MERIDIAN_KAFKA_USERNAME", "policy",
                        "MERIDIAN_KAFKA_PASSWORD", "s3cretS3cret"));
        assertThatThrownBy(() -> stack.serviceKafkaEnvironment("cost"))
                .hasMessageContaining("no Kafka password for cost")
                .hasMessageContaining("stack up");
    }

    /** A bin/meridian that records each call with what it was given, then runs {@code body}. */
    private void launcher(String body) throws IOException {
        Path script = repo.resolve("bin/meridian");
        Files.createDirectories(script.getParent());
        Files.writeString(script, """
                #!/usr/bin/env bash
                echo "$* home=$MERIDIAN_HOME \
                ports=$MERIDIAN_KAFKA_PORT,$MERIDIAN_KAFKA_CONTROLLER_PORT,$MERIDIAN_PG_PORT,$MERIDIAN_KEYCLOAK_PORT \
                java=$JAVA_HOME lock=${MERIDIAN_MVN_LOCK:-none} cwd=$PWD" >>"$(dirname "$0")/../calls.log"
                %s
                """.formatted(body));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private List<String> calls() throws IOException {
        return Files.readAllLines(repo.resolve("calls.log"));
    }
}
