package io.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.cli.config.Context;
import io.meridian.cli.config.ContextStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextCommandTest {

    @TempDir
    Path home;

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-06T03:00:00Z"), ZoneOffset.UTC);

    @Test
    void theLocalStackIsTheCurrentContextUntilAnotherIsChosen() {
        CliRun cli = new CliRun(home.resolve("config"), clock, Map.of("MERIDIAN_HOME", "/repo/.meridian"));

        CliRun.Result list = cli.run("context", "list");

        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).containsPattern("\\* +local +http://127.0.0.1:8180 +127.0.0.1:9092 +-");
        Context local = new ContextStore(cli.environment("")).resolve(null);
        assertThat(local.services())
                .containsEntry("inventory", "http://127.0.0.1:8081")
                .containsEntry("placement", "http://127.0.0.1:8086");
        assertThat(local.kafka().user()).isEqualTo("ops-audit");
        assertThat(local.kafka().passwordFile()).isEqualTo("/repo/.meridian/kafka/users/ops-audit.password");
        assertThat(local.tokenEndpoint())
                .hasToString("http://127.0.0.1:8180/realms/meridian/protocol/openid-connect/token");
    }

    @Test
    void setCreatesAContextAndUseMakesItCurrent() throws Exception {
        CliRun cli = new CliRun(home.resolve("config"), clock);
        Path secret = Files.writeString(home.resolve("ops-audit.password"), "s3cret\n");

        CliRun.Result set = cli.run(
                "context",
                "set",
                "prod",
                "--keycloak",
                "https://sso.example.com",
                "--inventory",
                "https://inventory.example.com",
                "--kafka",
                "kafka.example.com:9093",
                "--kafka-user",
                "ops-audit",
                "--kafka-password-file",
                secret.toString(),
                "--kafka-protocol",
                "SASL_SSL");
        CliRun.Result use = cli.run("context", "use", "prod");
        CliRun.Result update = cli.run("context", "set", "prod", "--policy", "https://policy.example.com");

        assertThat(set.exitCode()).isZero();
        assertThat(use.exitCode()).isZero();
        assertThat(update.out()).contains("updated context prod");
        assertThat(cli.run("context").out())
                .containsPattern("\\* +prod +https://sso.example.com +kafka.example.com:9093")
                .containsPattern("(?m)^  +local ");
        Context prod = new ContextStore(cli.environment("")).resolve(null);
        assertThat(prod.realm()).isEqualTo("meridian");
        assertThat(prod.client()).isEqualTo("meridian-cli");
        assertThat(prod.services())
                .containsEntry("inventory", "https://inventory.example.com")
                .containsEntry("policy", "https://policy.example.com");
        // The password is read from its file when connecting, never copied into the config.
        assertThat(prod.kafka().clientProperties())
                .containsEntry("bootstrap.servers", "kafka.example.com:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .hasEntrySatisfying(
                        "sasl.jaas.config",
                        jaas -> assertThat(jaas).contains("username=\"ops-audit\" password=\"s3cret\""));
        assertThat(Files.readString(home.resolve("config/config.json"))).doesNotContain("s3cret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("config/config.json"))))
                .isEqualTo("rw-------");
    }

    @Test
    void unknownContextsAndIncompleteOnesAreErrorsWithExitCodeOne() {
        CliRun cli = new CliRun(home.resolve("config"), clock);

        CliRun.Result use = cli.run("context", "use", "nowhere");
        CliRun.Result set = cli.run("context", "set", "half", "--kafka", "k:9092");
        CliRun.Result other = cli.run("--context", "nowhere", "context", "show");

        assertThat(use.exitCode()).isEqualTo(1);
        assertThat(use.err()).contains("error: no context 'nowhere'; contexts: local");
        assertThat(set.exitCode()).isEqualTo(1);
        assertThat(set.err()).contains("a new context needs --keycloak URL");
        assertThat(other.exitCode()).isEqualTo(1);
    }

    @Test
    void aMistypedCommandIsAUsageErrorWithExitCodeTwo() {
        CliRun cli = new CliRun(home.resolve("config"), clock);

        assertThat(cli.run("contxt").exitCode()).isEqualTo(2);
        assertThat(cli.run().exitCode()).isEqualTo(2);
        assertThat(cli.run("context", "set", "x", "--no-such-option").exitCode())
                .isEqualTo(2);
    }

    @Test
    void theConfigDirectoryFollowsXdgConfigHome() {
        Path userHome = Path.of("/home/ops");

        assertThat(CliEnvironment.configDir(Map.of("XDG_CONFIG_HOME", "/xdg"), userHome))
                .isEqualTo(Path.of("/xdg/meridian"));
        assertThat(CliEnvironment.configDir(Map.of(), userHome)).isEqualTo(Path.of("/home/ops/.config/meridian"));
        // A relative XDG_CONFIG_HOME is invalid by the spec and ignored.
        assertThat(CliEnvironment.configDir(Map.of("XDG_CONFIG_HOME", "rel"), userHome))
                .isEqualTo(Path.of("/home/ops/.config/meridian"));
    }

    @Test
    void completionPrintsABashScriptThatKnowsTheCommands() {
        CliRun cli = new CliRun(home.resolve("config"), clock);

        CliRun.Result bash = cli.run("completion", "bash");
        CliRun.Result zsh = cli.run("completion", "zsh");

        assertThat(bash.exitCode()).isZero();
        assertThat(bash.out()).contains("complete -F").contains("audit").contains("login");
        assertThat(zsh.out()).startsWith("autoload -U +X compinit");
    }
}
