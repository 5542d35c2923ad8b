package io.meridian.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.contracts.kafka.KafkaPrincipal;
import io.meridian.contracts.selector.Production;
import io.meridian.fleetsim.SimulatedCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ops team's CLI as they run it: the packaged {@code tools/cli/target/meridian-cli.jar} as a process with a home
 * of its own, a context pointing at the system under test, a password login, REST verbs against inventory, and
 * {@code audit tail} replaying from a point in time what an earlier command did, read from Kafka as the
 * {@code ops-audit} principal.
 */
@SystemTest
class CliIT {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration READY_WITHIN = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTEXT = "systest";

    private final SystemUnderTest system;

    @TempDir
    Path home;

    CliIT(SystemUnderTest system) {
        this.system = system;
    }

    /** What one run of the CLI came to. */
    record Run(int exitCode, String stdout, String stderr) {}

    @BeforeEach
    void createContextAndLogIn() {
        List<String> set = new ArrayList<>(List.of(
                "context",
                "set",
                CONTEXT,
                "--keycloak",
                system.keycloakUrl(),
                "--kafka",
                system.kafkaBootstrapServers(),
                "--kafka-user",
                KafkaPrincipal.OPS_AUDIT.userName(),
                "--kafka-password-file",
                system.kafkaPasswordFile(KafkaPrincipal.OPS_AUDIT).toString()));
        for (Service service : Service.values()) {
            set.add("--" + service.serviceName());
            set.add(system.service(service).baseUrl());
        }
        assertThat(succeeded(cli(set, null))).contains("created context " + CONTEXT);
        assertThat(succeeded(cli(List.of("context", "use", CONTEXT), null))).contains("current context: " + CONTEXT);

        Run login = cli(
                List.of("login", "--username", DemoUser.OPERATOR.username(), "--password-stdin"),
                DemoUser.OPERATOR.password() + "\n");
        assertThat(succeeded(login))
                .contains("logged in to context " + CONTEXT + " as " + DemoUser.OPERATOR.username());
    }

    @Test
    void theLoginIsCachedOwnerOnlyAndClustersListShowsTheRegisteredFleet() throws IOException {
        Path tokens = home.resolve("config/meridian/tokens.json");
        assertThat(tokens).exists();
        assertThat(Files.getPosixFilePermissions(tokens))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.readString(tokens)).doesNotContain(DemoUser.OPERATOR.password());

        List<String> fleet = system.registerFleet().stream()
                .map(SystemUnderTest.RegisteredCluster::name)
                .toList();
        JsonNode listed = json(succeeded(cli(List.of("clusters", "list", "-o", "json"), null)));
        assertThat(listed.isArray()).as("clusters list -o json prints an array").isTrue();
        List<String> names = new ArrayList<>();
        listed.forEach(c -> names.add(c.path("name").asText()));
        assertThat(names).containsAll(fleet);
        listed.forEach(c -> assertThat(c.path("cloud").asText()).isNotBlank());
    }

    @Test
    void auditTailReplaysFromATimeTheLabelChangeTheCliMade() {
        SimulatedCluster cluster = readyNonProdCluster();
        String value = "v" + UUID.randomUUID().toString().substring(0, 8);
        // Millisecond precision, as an operator would paste a time; the registration of the cluster is older.
        Instant from = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        assertThat(succeeded(cli(List.of("clusters", "label", cluster.name(), "cli-it=" + value), null)))
                .contains("cluster " + cluster.name() + " labeled")
                .contains(value);

        List<String> tail = List.of(
                "audit",
                "tail",
                "--from",
                from.toString(),
                "--cluster",
                cluster.name(),
                "--service",
                "inventory",
                "-o",
                "json");
        // The record travels through inventory's outbox to Kafka: tail until it is there.
        List<JsonNode> records = await().atMost(Duration.ofSeconds(45))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> jsonLines(succeeded(cli(tail, null))), r -> !r.isEmpty());
        assertThat(records)
                .as("every record of the replay is at or after --from %s", from)
                .allSatisfy(
                        r -> assertThat(Instant.parse(r.path("at").asText())).isAfterOrEqualTo(from.minusSeconds(1)));
        assertThat(records)
                .as("the cluster's registration is older than --from and is not replayed")
                .noneSatisfy(r -> assertThat(r.path("action").asText()).isEqualTo("cluster.registered"));
        JsonNode labeled = records.stream()
                .filter(r -> r.path("action").asText().equals("cluster.updated"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no cluster.updated among " + records));
        assertThat(labeled.path("service").asText()).isEqualTo("inventory");
        assertThat(labeled.path("actor").path("name").asText()).isEqualTo(DemoUser.OPERATOR.username());
        assertThat(labeled.path("target").path("kind").asText()).isEqualTo("Cluster");
        assertThat(labeled.path("target").path("name").asText()).isEqualTo(cluster.name());
        assertThat(labeled.path("outcome").asText()).isEqualTo("success");
        assertThat(labeled.path("details").path("changed").asText()).contains("labels");

        // Filters combine: the same replay for another actor is empty.
        List<String> otherActor = new ArrayList<>(tail);
        otherActor.addAll(List.of("--actor", DemoUser.ADMIN.username()));
        assertThat(jsonLines(succeeded(cli(otherActor, null)))).isEmpty();

        succeeded(cli(List.of("clusters", "label", cluster.name(), "cli-it-"), null));
    }

    @Test
    void aBadCommandExitsNonZeroWithTheProblemTheServiceAnswered() {
        SimulatedCluster cluster = readyNonProdCluster();

        Run badLabel = cli(List.of("clusters", "label", cluster.name(), "bad!key=x"), null);
        assertThat(badLabel.exitCode()).as("exit code of %s", badLabel).isEqualTo(1);
        assertThat(badLabel.stderr()).startsWith("error: ").contains("field: labels[bad!key]");

        Run missing = cli(List.of("clusters", "get", "no-such-cluster"), null);
        assertThat(missing.exitCode()).as("exit code of %s", missing).isEqualTo(1);
        assertThat(missing.stderr())
                .startsWith("error: ")
                .contains("no-such-cluster")
                .contains("list them");

        Run usage = cli(List.of("clusters", "frobnicate"), null);
        assertThat(usage.exitCode()).as("exit code of %s", usage).isEqualTo(2);
        assertThat(usage.stderr()).contains("frobnicate");
    }

    /** The standard output of a run, once asserted that it ended with exit code 0. */
    private static String succeeded(Run run) {
        assertThat(run.exitCode()).as("exit code of %s", run).isZero();
        return run.stdout();
    }

    /** Runs the packaged CLI as a person would, with this test's home and config directory. */
    private Run cli(List<String> args, String stdin) {
        Path jar = Path.of(System.getProperty("meridian.repo", ".."))
                .resolve("tools/cli/target/meridian-cli.jar")
                .toAbsolutePath()
                .normalize();
        assertThat(jar).as("the packaged CLI (mvn install -pl tools/cli)").exists();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Java takes user.home from the password database, not from HOME.
                "-Duser.home=" + home,
                "-jar",
                jar.toString()));
        command.addAll(args);
        String id = UUID.randomUUID().toString();
        Path out = home.resolve("run-" + id + ".out");
        Path err = home.resolve("run-" + id + ".err");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> environment = builder.environment();
        environment.put("HOME", home.toString());
        environment.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        // The built-in local context reads the stack's home from here; this test's context must not depend on it.
        environment.remove("MERIDIAN_HOME");
        try {
            Process process = builder.start();
            try (var input = process.getOutputStream()) {
                if (stdin != null) {
                    input.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(
                        "meridian " + String.join(" ", args) + " did not end within " + COMMAND_TIMEOUT);
            }
            Run run = new Run(
                    process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            System.out.printf("[cli-it] meridian %s -> %d%n", String.join(" ", args), run.exitCode());
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** {@code -o json} of a tail: one JSON document per line. */
    private static List<JsonNode> jsonLines(String text) {
        return text.lines().filter(l -> !l.isBlank()).map(CliIT::json).toList();
    }

    /**
     * The last cluster of the fleet that is not prod (an operator may relabel it; a prod cluster is a fleet-admin's),
     * registered and Ready in inventory. The last: other scenarios take the first ones down.
     */
    private SimulatedCluster readyNonProdCluster() {
        system.registerFleet();
        SimulatedCluster cluster = system.fleet().clusters().reversed().stream()
                .filter(c -> !Production.isProd(c.environment(), c.labels()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the simulated fleet has no cluster outside prod"));
        await().atMost(READY_WITHIN)
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(system.as(DemoUser.VIEWER, Service.INVENTORY)
                                .get("/api/v1/clusters/{name}", cluster.name())
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .getString("status.phase"))
                        .isEqualTo("Ready"));
        return cluster;
    }
}
