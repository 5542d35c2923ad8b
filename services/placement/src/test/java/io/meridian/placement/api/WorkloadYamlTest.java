package io.meridian.placement.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.placement.domain.BundleRenderer;
import io.meridian.servicekit.ProblemException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one YAML format: the workload document first, its manifests in it or as the documents after it. */
class WorkloadYamlTest {

    private static final String WORKLOAD = """
            name: checkout
            namespace: shop
            rollout: {maxInFlight: 50%, pause: 10s}
            manifests:
              - {apiVersion: v1, kind: ConfigMap, metadata: {name: settings}}
            """;

    @Test
    void manifestsInTheWorkloadDocumentAndAfterItAreOneList() {
        WorkloadInput input = WorkloadYaml.read(WORKLOAD + """
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                ---
                # an empty document is no manifest
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: web}
                """);

        assertThat(input.name()).isEqualTo("checkout");
        assertThat(input.rollout().maxInFlight()).isEqualTo("50%");
        assertThat(input.manifests().stream().map(BundleRenderer::reference))
                .containsExactly("ConfigMap/settings", "Service/web", "ServiceAccount/web");
    }

    @Test
    void oneDocumentIsAWorkloadToo() {
        assertThat(WorkloadYaml.read(WORKLOAD).manifests()).hasSize(1);
    }

    @Test
    void theFirstDocumentMustBeTheWorkloadNotAManifest() {
        assertThatThrownBy(() -> WorkloadYaml.read("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(400);
                    assertThat(e.problem().errors().getFirst().message()).contains("put the workload first");
                });
    }

    @Test
    void unreadableYamlAndWrongShapesAre400NamingWhere() {
        assertThatThrownBy(() -> WorkloadYaml.read("name: [unclosed\n"))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        e -> assertThat(e.problem().errors())
                                .extracting(f -> f.field())
                                .containsExactly("body"));
        assertThatThrownBy(() -> WorkloadYaml.read("name: a\nmanifests: 7\n"))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        e -> assertThat(e.problem().errors())
                                .extracting(f -> f.field())
                                .containsExactly("manifests"));
        assertThatThrownBy(() -> WorkloadYaml.read(WORKLOAD + "---\n- just\n- a list\n"))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        e -> assertThat(e.problem().detail()).contains("document 2"));
    }

    @Test
    void aliasBombsAreRefused() {
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        char previous = 'a';
        for (char c = 'b'; c <= 'k'; c++) {
            bomb.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 10; i++) {
                bomb.append(i == 0 ? "" : ", ").append('*').append(previous);
            }
            bomb.append("]\n");
            previous = c;
        }
        bomb.append("name: x\n");

        assertThatThrownBy(() -> WorkloadYaml.read(bomb.toString()))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        e -> assertThat(e.problem().detail()).contains("alias *a"));
    }

    @Test
    void anAliasIsRefusedRatherThanReadAsItsName() {
        // The parser would read *img as the string "img": the Deployment would run an image nobody wrote.
        String yaml = WORKLOAD + """
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, annotations: {image: &img "ghcr.io/shop/web:1"}}
                spec:
                  template:
                    spec: {containers: [{name: web, image: *img}]}
                """;

        assertThatThrownBy(() -> WorkloadYaml.read(yaml))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        e -> assertThat(e.problem().detail()).contains("alias *img"));
    }

    @Test
    void duplicateKeysAreRefusedRatherThanOneSilentlyWinning() {
        assertThatThrownBy(() -> WorkloadYaml.read("name: a\nname: b\n")).isInstanceOf(ProblemException.class);
        assertThat(WorkloadYaml.read("name: a\nmanifests: []\n").manifests())
                .isEqualTo(java.util.List.<Map<String, Object>>of());
    }
}
