package io.meridian.policy.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.meridian.policy.domain.cel.CelEnvironment;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every built-in policy against passing and failing objects: {@code library/<policy>/<case>/in.yaml} is evaluated
 * and must give the verdict (and message) of {@code expected.yaml}.
 */
class PolicyLibraryGoldenTest {

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final Map<String, PolicyDefinition> LIBRARY = PolicyLibrary.load();

    @Test
    void shipsAtLeastFifteenPoliciesCoveringEveryCategoryAndEachCompiles() {
        assertThat(LIBRARY).hasSizeGreaterThanOrEqualTo(15);
        assertThat(LIBRARY.values().stream()
                        .flatMap(d -> d.categories().stream())
                        .distinct())
                .containsExactlyInAnyOrder("security", "reliability", "portability", "cost");
        LIBRARY.forEach((name, def) ->
                assertThat(CompiledPolicy.compile(def, 1)).as(name).isInstanceOf(CompiledPolicy.Ok.class));
    }

    @Test
    void everyPolicyHasAPassingAndAFailingCase() throws Exception {
        Path root = root();
        for (String name : LIBRARY.keySet()) {
            List<String> verdicts;
            try (Stream<Path> cases = Files.list(root.resolve(name))) {
                verdicts = cases.map(c -> verdict(c.resolve("expected.yaml"))).toList();
            }
            assertThat(verdicts).as(name).contains("compliant", "violation");
        }
    }

    static Stream<Path> cases() throws IOException, URISyntaxException {
        return Files.list(root()).flatMap(policy -> {
            try {
                return Files.list(policy).sorted().toList().stream();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void goldenCase(Path dir) throws IOException {
        String policyName = dir.getParent().getFileName().toString();
        PolicyDefinition def = LIBRARY.get(policyName);
        assertThat(def).as("built-in policy " + policyName).isNotNull();
        CompiledPolicy policy = ((CompiledPolicy.Ok) CompiledPolicy.compile(def, 1)).policy();
        Map<String, Object> manifest = YAML.readValue(dir.resolve("in.yaml").toFile(), Map.class);
        Map<String, Object> expected =
                YAML.readValue(dir.resolve("expected.yaml").toFile(), Map.class);
        Verdict verdict = policy.evaluate(object(manifest), null);
        switch (String.valueOf(expected.get("verdict"))) {
            case "compliant" -> assertThat(verdict).isInstanceOf(Verdict.Compliant.class);
            case "not-applicable" -> assertThat(verdict).isInstanceOf(Verdict.NotApplicable.class);
            case "violation" -> {
                assertThat(verdict).isInstanceOf(Verdict.Violation.class);
                if (expected.get("message") != null) {
                    assertThat(((Verdict.Violation) verdict).message()).isEqualTo(expected.get("message"));
                }
            }
            default -> throw new IllegalArgumentException("unknown verdict in " + dir);
        }
    }

    @SuppressWarnings("unchecked")
    static FleetObject object(Map<String, Object> manifest) {
        String apiVersion = (String) manifest.get("apiVersion");
        Map<String, Object> meta = (Map<String, Object>) manifest.get("metadata");
        int slash = apiVersion.indexOf('/');
        return new FleetObject(
                "golden",
                slash < 0 ? "" : apiVersion.substring(0, slash),
                apiVersion,
                (String) manifest.get("kind"),
                (String) meta.get("namespace"),
                (String) meta.get("name"),
                (Map<String, String>) meta.getOrDefault("labels", Map.of()),
                (Map<String, Object>) CelEnvironment.toCel(manifest));
    }

    private static String verdict(Path expected) {
        try {
            return String.valueOf(YAML.readValue(expected.toFile(), Map.class).get("verdict"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path root() throws URISyntaxException {
        return Path.of(PolicyLibraryGoldenTest.class
                .getClassLoader()
                .getResource("library")
                .toURI());
    }
}
