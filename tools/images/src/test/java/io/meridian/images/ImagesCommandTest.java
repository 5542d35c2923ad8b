package io.meridian.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void withoutACommandItShowsUsage() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Usage: meridian images push --registry");
    }

    @Test
    void aRegistryIsRequired() {
        assertThat(run("push", "--tag", "1.0.0")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--registry is required");
    }

    @Test
    void anUnknownOptionIsAnError() {
        assertThat(run("push", "--registry", "127.0.0.1:5000", "--force", "yes"))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --force");
    }

    @Test
    void anUnpackagedServiceFailsBeforeAnythingIsBuilt(@TempDir Path repo) throws Exception {
        Files.createDirectories(repo.resolve("services/policy"));
        Files.writeString(repo.resolve("services/policy/pom.xml"), "<project/>");

        assertThat(run("push", "--registry", "127.0.0.1:1", "--repo", repo.toString()))
                .isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("services/policy/target/quarkus-app/quarkus-run.jar is missing");
        assertThat(repo.resolve("tools/images/target/work")).doesNotExist();
    }

    private int run(String... args) {
        return ImagesCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
