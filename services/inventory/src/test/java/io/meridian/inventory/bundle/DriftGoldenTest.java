package io.meridian.inventory.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files: {@code drift/<case>/desired.yaml} is what Meridian applies, {@code live.yaml} what a v1.31 API server
 * returns afterwards (defaults, managedFields, status, fields of other managers) and {@code edited.yaml} the same after
 * one hand edit; {@code expected.yaml} gives the verdict for each. Live objects are read the way the engine reads them:
 * through the Kubernetes client's typed model and back to a map.
 */
class DriftGoldenTest {

    private static final Path CASES = Path.of("src/test/resources/drift");
    private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();

    static Stream<String> cases() throws IOException {
        try (Stream<Path> dirs = Files.list(CASES)) {
            List<String> names = dirs.filter(d -> Files.exists(d.resolve("desired.yaml")))
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .toList();
            assertThat(names).hasSizeGreaterThanOrEqualTo(16);
            return names.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void serverDefaultsAndOtherManagersAreNotDriftAndAHandEditIs(String name) throws IOException {
        Path dir = CASES.resolve(name);
        Map<String, Object> desired = read(dir.resolve("desired.yaml"));
        Map<String, Object> expected = read(dir.resolve("expected.yaml"));

        assertThat(AppliedFields.firstDifference(desired, live(dir.resolve("live.yaml"))))
                .as("%s: live.yaml is what the server made of desired.yaml", name)
                .isEmpty();
        assertThat(verdict(expected, "live")).containsEntry("drift", false);

        Map<String, Object> edited = verdict(expected, "edited");
        assertThat(edited).containsEntry("drift", true);
        assertThat(AppliedFields.firstDifference(desired, live(dir.resolve("edited.yaml"))))
                .as("%s: the hand edit is drift, named by its field", name)
                .contains((String) edited.get("field"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> verdict(Map<String, Object> expected, String which) {
        return (Map<String, Object>) expected.get(which);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> live(Path file) throws IOException {
        HasMetadata typed = KUBERNETES.unmarshal(Files.readString(file), HasMetadata.class);
        return KUBERNETES.convertValue(typed, Map.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(Path file) throws IOException {
        return KUBERNETES.unmarshal(Files.readString(file), Map.class);
    }
}
