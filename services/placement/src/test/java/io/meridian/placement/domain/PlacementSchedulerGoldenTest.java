package io.meridian.placement.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scheduler's golden files: each {@code src/test/resources/scheduler/<case>/in.yaml} (workload, fleet, previous
 * decision, time) must give its {@code expected.yaml} (the decision). {@code -Dgolden.update=true} rewrites the
 * expected files from the scheduler's output, to be read and reviewed before they are kept.
 */
class PlacementSchedulerGoldenTest {

    private static final Path CASES = Path.of("src/test/resources/scheduler");

    static Stream<String> cases() throws IOException {
        try (Stream<Path> dirs = Files.list(CASES)) {
            return dirs
                    .filter(d -> Files.exists(d.resolve("in.yaml")))
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theDecisionIsTheGoldenOne(String name) throws IOException {
        Path dir = CASES.resolve(name);
        JsonNode in = SchedulerYaml.MAPPER.readTree(dir.resolve("in.yaml").toFile());

        PlacementDecision decision = new PlacementScheduler().schedule(SchedulerYaml.request(in));

        String actual = SchedulerYaml.MAPPER.writeValueAsString(SchedulerYaml.write(decision));
        Path expected = dir.resolve("expected.yaml");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(expected, actual);
        }
        assertThat(SchedulerYaml.MAPPER.readTree(actual))
                .as("%s/expected.yaml; the scheduler decided:%n%s", name, actual)
                .isEqualTo(SchedulerYaml.MAPPER.readTree(expected.toFile()));
    }

    @Test
    void theGoldenFilesShowEveryRejectionReason() throws IOException {
        Set<Rejection> shown = EnumSet.noneOf(Rejection.class);
        for (String name : cases().toList()) {
            JsonNode expected = SchedulerYaml.MAPPER.readTree(
                    CASES.resolve(name).resolve("expected.yaml").toFile());
            expected.path("rejected")
                    .forEach(r -> shown.add(Rejection.valueOf(r.path("reason").asText())));
        }
        assertThat(shown).containsExactlyInAnyOrderElementsOf(List.of(Rejection.values()));
    }
}
