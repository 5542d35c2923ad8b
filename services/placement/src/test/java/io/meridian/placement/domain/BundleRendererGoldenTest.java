package io.meridian.placement.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.meridian.contracts.selector.ClusterSelector;
import io.meridian.contracts.selector.SelectableLabels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The renderer against golden files: {@code renderer/<case>/in.yaml} (a revision, a cluster and its assignment) must
 * render exactly {@code expected.yaml}, and the revision must be the same afterwards.
 */
class BundleRendererGoldenTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    static Stream<String> cases() throws IOException, URISyntaxException {
        Path root =
                Path.of(BundleRendererGoldenTest.class.getResource("/renderer").toURI());
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rendersAsTheGoldenFileSays(String name) {
        Map<String, Object> in = read(name, "in.yaml");
        WorkloadRevision revision = revision(map(in, "revision"));
        Map<String, Object> cluster = map(in, "cluster");
        Map<String, Object> assignment = map(in, "assignment");
        Object before = MergePatch.copy(revision.manifests());
        Object patchesBefore = MergePatch.copy(
                revision.overrides().stream().map(o -> o.mergePatch()).toList());

        List<Map<String, Object>> rendered = new BundleRenderer()
                .render(
                        revision,
                        (String) cluster.get("id"),
                        SelectableLabels.of(
                                (String) cluster.get("id"),
                                (String) cluster.get("cloud"),
                                (String) cluster.get("region"),
                                (String) cluster.get("environment"),
                                stringMap(cluster.get("labels"))),
                        new Assignment(
                                ((Number) assignment.get("generation")).longValue(),
                                ((Number) assignment.get("replicas")).intValue()));

        assertThat(rendered).isEqualTo(readList(name));
        assertThat(revision.manifests())
                .as("the revision's manifests are not changed")
                .isEqualTo(before);
        assertThat(revision.overrides().stream().map(o -> o.mergePatch()).toList())
                .as("the overrides' patches are not changed")
                .isEqualTo(patchesBefore);
    }

    @Test
    void theRenderedObjectsShareNothingWithTheRevision() {
        Map<String, Object> in = read("labels-and-annotation", "in.yaml");
        WorkloadRevision revision = revision(map(in, "revision"));
        SelectableLabels labels = SelectableLabels.of("aws-1", "aws", null, "staging", Map.of());
        List<Map<String, Object>> first =
                new BundleRenderer().render(revision, "aws-1", labels, new Assignment(revision.generation(), 2));
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) first.getFirst().get("metadata");
        metadata.put("name", "changed-by-a-caller");

        List<Map<String, Object>> second =
                new BundleRenderer().render(revision, "aws-1", labels, new Assignment(revision.generation(), 2));
        assertThat(BundleRenderer.reference(second.getFirst())).isEqualTo("Deployment/web");
    }

    @Test
    void refusesToRenderAnotherGenerationThanTheAssignedOne() {
        Map<String, Object> in = read("labels-and-annotation", "in.yaml");
        WorkloadRevision revision = revision(map(in, "revision"));
        SelectableLabels labels = SelectableLabels.of("aws-1", "aws", null, null, Map.of());

        assertThatThrownBy(() -> new BundleRenderer()
                        .render(revision, "aws-1", labels, new Assignment(revision.generation() + 1, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("aws-1");
    }

    // ------------------------------------------------------------------ reading the files

    @SuppressWarnings("unchecked")
    static WorkloadRevision revision(Map<String, Object> r) {
        List<Map<String, Object>> overrides = (List<Map<String, Object>>) r.getOrDefault("overrides", List.of());
        return new WorkloadRevision(
                (String) r.get("workload"),
                (String) r.get("namespace"),
                ((Number) r.get("generation")).longValue(),
                (List<Map<String, Object>>) r.get("manifests"),
                overrides.stream()
                        .map(o -> new WorkloadOverride(
                                ClusterSelector.parse((String) o.get("clusters")),
                                (String) o.get("manifest"),
                                (Map<String, Object>) o.get("mergePatch"),
                                (String) o.get("image"),
                                o.get("replicas") == null ? null : ((Number) o.get("replicas")).intValue()))
                        .toList(),
                PlacementMode.valueOf(((String) r.getOrDefault("mode", "Duplicated")).toUpperCase(Locale.ROOT)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> in, String key) {
        return (Map<String, Object>) in.get(key);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> stringMap(Object value) {
        return value == null ? Map.of() : (Map<String, String>) value;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(String name, String file) {
        try (var in = BundleRendererGoldenTest.class.getResourceAsStream("/renderer/" + name + "/" + file)) {
            return YAML.readValue(in, Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> readList(String name) {
        try (var in = BundleRendererGoldenTest.class.getResourceAsStream("/renderer/" + name + "/expected.yaml")) {
            return YAML.readValue(in, List.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
