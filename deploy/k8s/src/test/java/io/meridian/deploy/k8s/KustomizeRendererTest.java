package io.meridian.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The renderer does what kustomize does for the fields it supports, and refuses everything else. */
class KustomizeRendererTest {

    private static final Path FIXTURES = Path.of("src", "test", "resources", "kustomize");

    private final KustomizeRenderer renderer = new KustomizeRenderer();

    @Test
    void overlayPatchesBaseThenSetsNamespaceAndLabels() {
        List<ObjectNode> objects = renderer.render(FIXTURES.resolve("fixture/overlay"));

        assertThat(objects)
                .extracting(KustomizeRenderer::id)
                .containsExactly(
                        "/Namespace//overlay-ns",
                        "apps/Deployment/overlay-ns/app",
                        "/Service/overlay-ns/app",
                        "kafka.strimzi.io/KafkaTopic/overlay-ns/t");

        ObjectNode deployment = objects.get(1);
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(1);
        JsonNode main = deployment.at("/spec/template/spec/containers/0");
        assertThat(main.get("name").asText()).isEqualTo("main");
        assertThat(main.get("image").asText()).as("untouched fields stay").isEqualTo("main:1");
        assertThat(main.get("env").toString())
                .as("env merged by name")
                .isEqualTo("[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"20\"},"
                        + "{\"name\":\"C\",\"value\":\"3\"}]");
        assertThat(main.at("/resources/requests").toString())
                .as("null deletes, values replace")
                .isEqualTo("{\"memory\":\"256Mi\"}");
        assertThat(deployment.at("/spec/template/spec/containers/1/name").asText())
                .as("containers merged by name, the sidecar stays")
                .isEqualTo("sidecar");

        // commonLabels reach selectors and templates; labels (without includeSelectors) only metadata.
        assertThat(deployment.at("/metadata/labels").toString())
                .isEqualTo("{\"app\":\"app\",\"team\":\"payments\",\"env\":\"dev\"}");
        assertThat(deployment.at("/spec/selector/matchLabels").toString())
                .isEqualTo("{\"app\":\"app\",\"team\":\"payments\"}");
        assertThat(deployment.at("/spec/template/metadata/labels").toString())
                .isEqualTo("{\"app\":\"app\",\"team\":\"payments\"}");
        assertThat(objects.get(2).at("/spec/selector").toString()).isEqualTo("{\"app\":\"app\",\"team\":\"payments\"}");

        ObjectNode topic = objects.get(3);
        assertThat(topic.at("/spec/config").toString())
                .as("custom resources: maps merge")
                .isEqualTo("{\"cleanup.policy\":\"compact\",\"retention.ms\":1000}");
        assertThat(topic.at("/spec/replicasList").toString())
                .as("custom resources: lists are replaced")
                .isEqualTo("[1]");
    }

    @Test
    void renderedYamlIsAStreamOfDocuments() {
        String yaml = renderer.toYaml(renderer.render(FIXTURES.resolve("fixture/base")));

        assertThat(yaml.split("(?m)^---$")).hasSize(4);
        assertThat(yaml).contains("namespace: base-ns").contains("kind: KafkaTopic");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "missing-resource      | resource 'missing.yaml' does not exist",
                "bad-yaml              | not valid YAML",
                "no-api-version        | missing apiVersion",
                "unsupported-field     | field 'configMapGenerator' is not supported",
                "patch-matches-nothing | patch of Deployment ap matches 0 objects",
                "duplicate-object      | apps/Deployment//app is defined more than once",
                "patch-with-target     | 'target' is not supported",
                "cycle-a               | kustomization cycle",
                "network-policy-common-labels | cannot apply labels with selectors or templates to a NetworkPolicy",
            })
    void brokenKustomizationFailsLoudly(String fixture, String message) {
        Path directory = FIXTURES.resolve("broken").resolve(fixture);

        assertThatThrownBy(() -> renderer.render(directory))
                .isInstanceOf(KustomizeException.class)
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
                .hasMessageContaining("no kustomization.yaml");
    }
}
