package io.meridian.placement.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.testsupport.KafkaTestResource;
import io.meridian.testsupport.PostgresTestResource;
import io.meridian.testsupport.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reading and checking a workload body is CPU work on the whole body: it runs on a worker thread, never on the Vert.x
 * event loop that serves every other request, and the write that follows still reaches the database.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "schema", value = "placement"))
@WithTestResource(OidcWiremockTestResource.class)
class WorkloadAdmissionThreadComponentTest {

    private static final String OPERATOR = Tokens.bearer("olga", Tokens.OPERATOR);

    private static final String YAML = """
            name: off-the-loop
            namespace: off-the-loop
            placement:
              clusterSelector: {environments: [staging], labelSelector: "environment!=prod"}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            data: {k: v}
            """;

    @Inject
    ThreadRecordingAdmission admission;

    @Test
    void yamlAndJsonBodiesAreReadOffTheEventLoop() {
        int before = admission.reads().size();

        yaml("POST", "/api/v1/workloads", YAML).then().statusCode(201);
        yaml("PUT", "/api/v1/workloads/off-the-loop", YAML.replace("{k: v}", "{k: w}"))
                .then()
                .statusCode(200);
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "off-the-loop",
                        "namespace",
                        "off-the-loop",
                        "manifests",
                        List.of(Map.of(
                                "apiVersion", "v1",
                                "kind", "ConfigMap",
                                "metadata", Map.of("name", "settings"))),
                        "placement",
                        Map.of(
                                "clusterSelector",
                                Map.of("environments", List.of("staging"), "labelSelector", "environment!=prod"))))
                .put("/api/v1/workloads/off-the-loop")
                .then()
                .statusCode(200)
                .body("generation", org.hamcrest.Matchers.equalTo(3));
        // A refusal too: the checks that refuse run where the checks that pass do.
        yaml("POST", "/api/v1/workloads", "name: [not, a, name]\n").then().statusCode(400);

        List<ThreadRecordingAdmission.Read> reads =
                admission.reads().subList(before, admission.reads().size());
        assertThat(reads).extracting(ThreadRecordingAdmission.Read::mediaType).hasSize(4);
        assertThat(reads).allSatisfy(read -> {
            assertThat(read.onEventLoop()).as(read.toString()).isFalse();
            assertThat(read.thread()).doesNotContain("eventloop");
        });
    }

    private static io.restassured.response.Response yaml(String method, String path, String body) {
        return given().header("Authorization", OPERATOR)
                .contentType("application/yaml")
                .body(body.getBytes(StandardCharsets.UTF_8))
                .request(method, path);
    }
}
