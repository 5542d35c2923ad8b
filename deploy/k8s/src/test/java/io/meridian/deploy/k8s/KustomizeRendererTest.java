package io.meridian.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The renderer hands a kustomization to {@code kubectl kustomize} and returns what kustomize made of it; a kustomization
 * kustomize refuses, a missing kubectl and a kubectl that hangs each fail with a message that says why.
 */
class KustomizeRendererTest {

    private static final Path FIXTURES = Path.of("src", "test", "resources", "kustomize");

    private final KustomizeRenderer renderer = new KustomizeRenderer();

    @Test
    void overlayPatchesBaseThenSetsNamespaceAndLabels() {
        List<ObjectNode> objects = renderer.render(FIXTURES.resolve("fixture/overlay"));

        // Kustomize's own order: namespaces first, services before the workloads that use them.
        assertThat(objects)
                .extracting(KustomizeRenderer::id)
                .containsExactly(
                        "/Namespace//overlay-ns",
                        "/Service/overlay-ns/app",
                        "apps/Deployment/overlay-ns/app",
                        "kafka.strimzi.io/KafkaTopic/overlay-ns/t");

        ObjectNode deployment = objects.get(2);
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(1);
        JsonNode main = deployment.at("/spec/template/spec/containers/0");
        assertThat(main.get("name").asText()).isEqualTo("main");
        assertThat(main.get("image").asText()).as("untouched fields stay").isEqualTo("main:1");
        assertThat(main.get("env"))
                .as("env merged by name")
                .extracting(e -> e.get("name").asText() + "=" + e.get("value").asText())
                .containsExactlyInAnyOrder("A=1", "B=20", "C=3");
        assertThat(main.at("/resources/requests").toString())
                .as("null deletes, values replace")
                .isEqualTo("{\"memory\":\"256Mi\"}");
        assertThat(deployment.at("/spec/template/spec/containers/1/name").asText())
                .as("containers merged by name, the sidecar stays")
                .isEqualTo("sidecar");

        // commonLabels reach selectors and templates; labels (without includeSelectors) only metadata.
        assertThat(deployment.at("/metadata/labels").toString())
                .isEqualTo("{\"app\":\"app\",\"env\":\"dev\",\"team\":\"payments\"}");
        assertThat(deployment.at("/spec/selector/matchLabels").toString())
                .isEqualTo("{\"app\":\"app\",\"team\":\"payments\"}");
        assertThat(deployment.at("/spec/template/metadata/labels").toString())
                .isEqualTo("{\"app\":\"app\",\"team\":\"payments\"}");
        assertThat(objects.get(1).at("/spec/selector").toString()).isEqualTo("{\"app\":\"app\",\"team\":\"payments\"}");

        ObjectNode topic = objects.get(3);
        assertThat(topic.at("/spec/config").toString())
                .as("custom resources: maps merge")
                .isEqualTo("{\"cleanup.policy\":\"compact\",\"retention.ms\":1000}");
        assertThat(topic.at("/spec/replicasList").toString())
                .as("custom resources: lists are replaced")
                .isEqualTo("[1]");
    }

    @Test
    void renderedYamlIsAStreamOfDocumentsThatRendersTheSameObjects(@TempDir Path copy) throws IOException {
        List<ObjectNode> objects = renderer.render(FIXTURES.resolve("fixture/base"));
        String yaml = renderer.toYaml(objects);

        assertThat(yaml.split("(?m)^---$")).hasSize(4);
        assertThat(yaml).contains("namespace: base-ns").contains("kind: KafkaTopic");
        Files.writeString(copy.resolve("all.yaml"), yaml);
        Files.writeString(copy.resolve("kustomization.yaml"), "resources:\n  - all.yaml\n");
        assertThat(renderer.render(copy)).isEqualTo(objects);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "missing-resource      | missing.yaml: no such file or directory",
                "bad-yaml              | MalformedYAMLError",
                "patch-matches-nothing | no matches for Id Deployment.v1.apps/ap",
                "duplicate-object      | may not add resource with an already registered id: Deployment.v1.apps/app",
                "cycle-a               | cycle detected",
            })
    void aKustomizationKustomizeRefusesFailsWithKustomizesOwnWords(String fixture, String message) {
        Path directory = FIXTURES.resolve("broken").resolve(fixture);

        assertThatThrownBy(() -> renderer.render(directory))
                .isInstanceOf(KustomizeException.class)
                .hasMessageContaining("kustomize " + directory.toAbsolutePath().normalize())
                .hasMessageContaining("failed with exit code")
                .hasMessageContaining(message);
    }

    @Test
    void aNetworkPolicyMovesToTheNamespaceWithItsSelectorsAsWritten() {
        ObjectNode policy = renderer.render(FIXTURES.resolve("network-policy")).getFirst();

        assertThat(policy.at("/metadata/namespace").asText()).isEqualTo("moved");
        assertThat(policy.at("/metadata/labels/team").asText()).isEqualTo("fleet");
        assertThat(policy.at("/spec/podSelector/matchLabels").properties()).hasSize(1);
        assertThat(policy.at("/spec/ingress/0/from/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name")
                        .asText())
                .isEqualTo("ingress");
    }

    @Test
    void directoryWithoutKustomizationFails() {
        assertThatThrownBy(() -> renderer.render(FIXTURES))
                .isInstanceOf(KustomizeException.class)
                .hasMessageContaining("unable to find one of 'kustomization.yaml'");
    }

    @Test
    void withoutKubectlTheMessageSaysWhatToInstall(@TempDir Path empty) {
        KustomizeRenderer noKubectl =
                new KustomizeRenderer(empty.resolve("kubectl").toString(), Duration.ofSeconds(5));

        assertThatThrownBy(() -> noKubectl.render(FIXTURES.resolve("fixture/base")))
                .isInstanceOf(KustomizeException.class)
                .hasMessageContaining("cannot run " + empty.resolve("kubectl") + " kustomize")
                .hasMessageContaining("install kubectl")
                .hasMessageContaining("kustomize v5")
                .hasMessageContaining("-D" + KustomizeRenderer.KUBECTL_PROPERTY + "=");
    }

    @Test
    void aKubectlThatHangsIsStoppedAfterTheTimeout(@TempDir Path bin) throws IOException {
        Path hanging = bin.resolve("kubectl");
        Files.writeString(hanging, "#!/bin/sh\nexec sleep 60\n");
        Files.setPosixFilePermissions(hanging, PosixFilePermissions.fromString("rwx------"));
        KustomizeRenderer slow = new KustomizeRenderer(hanging.toString(), Duration.ofSeconds(1));

        long started = System.nanoTime();
        assertThatThrownBy(() -> slow.render(FIXTURES.resolve("fixture/base")))
                .isInstanceOf(KustomizeException.class)
                .hasMessageContaining("did not finish within 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }
}
