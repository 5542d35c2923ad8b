package io.meridian.placement.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.meridian.contracts.EventJson;
import io.meridian.contracts.Topic;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.testsupport.CloudEventCollector;
import io.meridian.testsupport.KafkaBroker;
import io.meridian.testsupport.KafkaTestResource;
import io.meridian.testsupport.PostgresTestResource;
import io.meridian.testsupport.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The workload API against the real broker and database: generations and revisions, JSON and YAML, every refusal as
 * a problem naming the field and the object, audit records, and who may write what. Each test has workloads of its
 * own names.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "schema", value = "placement"))
@WithTestResource(OidcWiremockTestResource.class)
class WorkloadApiComponentTest {

    private static final String ADMIN = Tokens.bearer("ada", Tokens.ADMIN);
    private static final String OPERATOR = Tokens.bearer("olga", Tokens.OPERATOR);
    private static final String VIEWER = Tokens.bearer("vera", Tokens.VIEWER);
    private static final Duration EVENTUALLY = Duration.ofSeconds(30);

    /** A selector that rules prod out both ways, as an operator's workloads must. */
    private static final Map<String, Object> STAGING =
            Map.of("environments", List.of("staging"), "labelSelector", "environment!=prod,test=workload-api");

    private static CloudEventCollector audit;

    @Inject
    RecordingTrigger trigger;

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @BeforeAll
    static void kafka() {
        audit = CloudEventCollector.collect(KafkaBroker.shared().bootstrapServers(), Topic.AUDIT_PLACEMENT.topicName());
    }

    @AfterAll
    static void close() {
        audit.close();
    }

    // ------------------------------------------------------------------ generations

    @Test
    void aChangeMakesTheNextGenerationAndTheSameContentKeepsIt() {
        Map<String, Object> body = workload("gen-demo", "shop", STAGING, deployment("web", "ghcr.io/shop/web:1"));

        String location = write(OPERATOR, "POST", "/api/v1/workloads", body)
                .statusCode(201)
                .body("generation", equalTo(1))
                .body("reachesProd", equalTo(false))
                .body("createdBy", equalTo("olga"))
                // The namespace was left out of the manifest: the workload's is filled in.
                .body("manifests[0].metadata.namespace", equalTo("shop"))
                .extract()
                .header("Location");
        assertThat(location).endsWith("/api/v1/workloads/gen-demo");
        get(VIEWER, "gen-demo").statusCode(200).body("generation", equalTo(1));

        write(OPERATOR, "PUT", "/api/v1/workloads/gen-demo", body)
                .statusCode(200)
                .body("generation", equalTo(1));
        assertThat(trigger.times("gen-demo"))
                .as("the same content again is no change")
                .isEqualTo(1);

        body.put("manifests", List.of(deployment("web", "ghcr.io/shop/web:2")));
        write(OPERATOR, "PUT", "/api/v1/workloads/gen-demo", body)
                .statusCode(200)
                .body("generation", equalTo(2))
                .body("manifests[0].spec.template.spec.containers[0].image", equalTo("ghcr.io/shop/web:2"))
                .body("updatedBy", equalTo("olga"));
        assertThat(trigger.times("gen-demo")).isEqualTo(2);

        given().header("Authorization", VIEWER)
                .get("/api/v1/workloads/gen-demo/revisions")
                .then()
                .statusCode(200)
                .body("items.generation", contains(2, 1));
        given().header("Authorization", VIEWER)
                .get("/api/v1/workloads?namespace=shop")
                .then()
                .statusCode(200)
                .body("items.name", hasItem("gen-demo"));
        given().header("Authorization", VIEWER)
                .get("/api/v1/workloads?namespace=elsewhere")
                .then()
                .statusCode(200)
                .body("items.name", not(hasItem("gen-demo")));

        AuditRecord created = auditRecord("workload.created", "gen-demo");
        assertThat(created.actor().name()).isEqualTo("olga");
        assertThat(created.target()).isEqualTo(new AuditRecord.Target("Workload", "gen-demo", null));
        assertThat(created.details())
                .containsEntry("generation", "1")
                .containsEntry("objects", "Deployment/web")
                .containsEntry("reachesProd", "false");
        assertThat(auditRecord("workload.updated", "gen-demo").details())
                .containsEntry("generation", "2")
                .containsEntry("previousGeneration", "1");

        given().get(metrics)
                .then()
                .statusCode(200)
                .body(containsString("meridian_placement_workload_changes_total{action=\"created\""))
                .body(containsString("meridian_placement_workload_changes_total{action=\"updated\""));

        write(OPERATOR, "POST", "/api/v1/workloads", body)
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("already exists"));

        // Every cluster would refuse a Deployment whose selector changed: refused here, before it is stored.
        body.put("manifests", List.of(deployment("web", "ghcr.io/shop/web:3", "web-v3")));
        write(OPERATOR, "PUT", "/api/v1/workloads/gen-demo", body)
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", contains("manifests[0].spec.selector"))
                .body("errors[0].message", containsString("give the Deployment another name"));
        get(VIEWER, "gen-demo").statusCode(200).body("generation", equalTo(2));
    }

    @Test
    void aRollbackIsTheNextGenerationWithThePreviousGenerationsContent() {
        Map<String, Object> body = workload("rollme", "rollme", STAGING, deployment("web", "ghcr.io/shop/web:1"));
        write(OPERATOR, "POST", "/api/v1/workloads", body).statusCode(201);
        write(OPERATOR, "POST", "/api/v1/workloads/rollme/rollback", null)
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("no previous generation"));

        body.put("manifests", List.of(deployment("web", "ghcr.io/shop/web:2")));
        write(OPERATOR, "PUT", "/api/v1/workloads/rollme", body).statusCode(200);

        write(OPERATOR, "POST", "/api/v1/workloads/rollme/rollback", null)
                .statusCode(200)
                .body("generation", equalTo(3))
                .body("manifests[0].spec.template.spec.containers[0].image", equalTo("ghcr.io/shop/web:1"));
        assertThat(auditRecord("workload.rolled-back", "rollme").details())
                .containsEntry("generation", "3")
                .containsEntry("previousGeneration", "2")
                .containsEntry("restoredGeneration", "1");
        // Rolling back again goes back one more step in time: to generation 3's predecessor, the web:2 content.
        write(OPERATOR, "POST", "/api/v1/workloads/rollme/rollback", null)
                .statusCode(200)
                .body("generation", equalTo(4))
                .body("manifests[0].spec.template.spec.containers[0].image", equalTo("ghcr.io/shop/web:2"));
        assertThat(trigger.times("rollme")).isEqualTo(4);
    }

    @Test
    void deletedWorkloadsLeaveAndComeBackWithTheirGenerationsContinued() {
        Map<String, Object> body = workload("phoenix", "phoenix", STAGING, configMap("settings"));
        write(OPERATOR, "POST", "/api/v1/workloads", body).statusCode(201);
        body.put("manifests", List.of(configMap("settings"), configMap("more")));
        write(OPERATOR, "PUT", "/api/v1/workloads/phoenix", body).statusCode(200);

        write(OPERATOR, "DELETE", "/api/v1/workloads/phoenix", null).statusCode(204);

        get(VIEWER, "phoenix").statusCode(404).contentType("application/problem+json");
        given().header("Authorization", VIEWER)
                .get("/api/v1/workloads")
                .then()
                .body("items.name", not(hasItem("phoenix")));
        write(OPERATOR, "DELETE", "/api/v1/workloads/phoenix", null).statusCode(404);
        assertThat(auditRecord("workload.deleted", "phoenix").details()).containsEntry("generation", "2");
        assertThat(trigger.times("phoenix")).isEqualTo(3);

        // Clusters may still carry objects annotated with generation 2: the new life starts above it.
        write(OPERATOR, "POST", "/api/v1/workloads", body).statusCode(201).body("generation", equalTo(3));
    }

    // ------------------------------------------------------------------ YAML

    @Test
    void aYamlWorkloadIsTheWorkloadDocumentFollowedByItsManifests() {
        String yaml = """
                name: yaml-shop
                namespace: yaml-shop
                placement:
                  clusterSelector: {environments: [staging], labelSelector: "environment!=prod"}
                  spread: [{by: cloud, min: 2}]
                rollout: {canary: 1, maxInFlight: 50%, pause: 30s, healthTimeout: 5m}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [{name: web, image: "ghcr.io/shop/web:1"}]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec: {selector: {app: web}, ports: [{port: 80}]}
                """;

        writeYaml(OPERATOR, "POST", "/api/v1/workloads", yaml)
                .statusCode(201)
                .body("generation", equalTo(1))
                .body("manifests.kind", contains("Deployment", "Service"))
                .body("rollout.maxInFlight", equalTo("50%"))
                .body("placement.spread[0].by", equalTo("cloud"));
        writeYaml(OPERATOR, "PUT", "/api/v1/workloads/yaml-shop", yaml)
                .statusCode(200)
                .body("generation", equalTo(1));
        writeYaml(OPERATOR, "PUT", "/api/v1/workloads/yaml-shop", yaml.replace("web:1", "web:2"))
                .statusCode(200)
                .body("generation", equalTo(2));

        writeYaml(OPERATOR, "POST", "/api/v1/workloads", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].message", containsString("put the workload first"));
    }

    // ------------------------------------------------------------------ refusals

    @Test
    void eachRefusalIsAProblemNamingTheFieldAndTheObject() {
        refused(
                configMapAnd(Map.of(
                        "apiVersion",
                        "v1",
                        "kind",
                        "Secret",
                        "metadata",
                        Map.of("name", "db"),
                        "stringData",
                        Map.of("password", "hunter2"))),
                "manifests[1].kind",
                "Secret/db: Meridian never carries secret data: use an ExternalSecret/SealedSecret managed in the"
                        + " cluster, or the cloud's secret store CSI driver, and reference it by name");
        refused(
                configMapAnd(Map.of(
                        "apiVersion",
                        "rbac.authorization.k8s.io/v1",
                        "kind",
                        "ClusterRole",
                        "metadata",
                        Map.of("name", "god"))),
                "manifests[1].kind",
                "ClusterRole/god: RBAC objects are refused: access goes through identity's grants");
        refused(
                configMapAnd(Map.of(
                        "apiVersion",
                        "admissionregistration.k8s.io/v1",
                        "kind",
                        "MutatingWebhookConfiguration",
                        "metadata",
                        Map.of("name", "inject"))),
                "manifests[1].kind",
                "MutatingWebhookConfiguration/inject: admission webhooks and admission policies are refused");
        refused(
                configMapAnd(Map.of(
                        "apiVersion",
                        "v1",
                        "kind",
                        "ConfigMap",
                        "metadata",
                        Map.of("name", "theirs", "namespace", "payments"))),
                "manifests[1].metadata.namespace",
                "ConfigMap/theirs: is in namespace 'payments'");

        Map<String, Object> badOverride = workload("refused", "refused", STAGING, deployment("web", "ghcr.io/a/web:1"));
        badOverride.put(
                "overrides",
                List.of(
                        Map.of("manifest", "Deployment/api", "mergePatch", Map.of("spec", Map.of("replicas", 1))),
                        Map.of("manifest", "Deployment/web", "mergePatch", Map.of("metadata", Map.of("name", "web-2"))),
                        Map.of("image", "Not An Image", "replicas", -1)));
        ValidatableResponse response = write(OPERATOR, "POST", "/api/v1/workloads", badOverride)
                .statusCode(400)
                .contentType("application/problem+json");
        assertThat(response.extract().<List<String>>path("errors.field"))
                .containsExactly(
                        "overrides[0].manifest",
                        "overrides[1].mergePatch.metadata.name",
                        "overrides[2].image",
                        "overrides[2].replicas");
        response.body("errors[1].message", containsString("Deployment/web: an override must not change metadata.name"));

        get(VIEWER, "refused").statusCode(404);
        given().get(metrics)
                .then()
                .statusCode(200)
                .body(containsString("meridian_placement_workload_refusals_total{reason=\"invalid\""));
    }

    @Test
    void aWorkloadOfTooManyManifestsIs413() {
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i <= 100; i++) {
            many.add(configMap("settings-" + i));
        }
        write(OPERATOR, "POST", "/api/v1/workloads", workload("huge", "huge", STAGING, many.toArray(Map[]::new)))
                .statusCode(413)
                .contentType("application/problem+json")
                .body("type", endsWith("/workload-too-large"))
                .body("detail", containsString("101 manifests"));
    }

    @Test
    void overridesCountTowardsAWorkloadsSize() {
        Map<String, Object> body = workload("fat-patch", "fat-patch", STAGING, configMap("settings"));
        body.put(
                "overrides",
                List.of(Map.of(
                        "manifest",
                        "ConfigMap/settings",
                        "mergePatch",
                        Map.of("data", Map.of("blob", "x".repeat(270_000))))));
        write(OPERATOR, "POST", "/api/v1/workloads", body)
                .statusCode(413)
                .contentType("application/problem+json")
                .body("detail", containsString("bytes of manifests and overrides"));

        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i <= 100; i++) {
            many.add(Map.of("image", "ghcr.io/a/web:" + i));
        }
        body.put("overrides", many);
        write(OPERATOR, "POST", "/api/v1/workloads", body)
                .statusCode(413)
                .body("errors[0].field", equalTo("overrides"))
                .body("detail", containsString("101 overrides"));
        get(VIEWER, "fat-patch").statusCode(404);
    }

    @Test
    void aQuantityTheSchedulerCannotReadIsRefusedBeforeItIsStored() {
        Map<String, Object> web = new LinkedHashMap<>(deployment("lots-web", "ghcr.io/a/web:1"));
        web.put(
                "spec",
                Map.of(
                        "selector", Map.of("matchLabels", Map.of("app", "web")),
                        "template",
                                Map.of(
                                        "metadata", Map.of("labels", Map.of("app", "web")),
                                        "spec",
                                                Map.of(
                                                        "containers",
                                                        List.of(Map.of(
                                                                "name", "web",
                                                                "image", "ghcr.io/a/web:1",
                                                                "resources",
                                                                        Map.of("requests", Map.of("cpu", "lots"))))))));
        refused(
                workload("lots", "lots", STAGING, web),
                "manifests[0]",
                "Deployment/lots-web container 'web' resources cpu: 'lots' is not a Kubernetes quantity");
        get(VIEWER, "lots").statusCode(404);
    }

    // ------------------------------------------------------------------ objects shared between workloads

    @Test
    void twoWorkloadsMayNotDeclareTheSameObject() {
        write(OPERATOR, "POST", "/api/v1/workloads", workload("owner-a", "shared", STAGING, configMap("common")))
                .statusCode(201);

        write(OPERATOR, "POST", "/api/v1/workloads", workload("owner-b", "shared", STAGING, configMap("common")))
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("ConfigMap/common in namespace 'shared'"))
                .body("detail", containsString("workload 'owner-a'"));
        get(VIEWER, "owner-b").statusCode(404);

        // The same name in another namespace, or another kind of the same name, is another object.
        write(OPERATOR, "POST", "/api/v1/workloads", workload("owner-c", "other", STAGING, configMap("common")))
                .statusCode(201);
        write(OPERATOR, "POST", "/api/v1/workloads", workload("owner-b", "shared", STAGING, configMap("own")))
                .statusCode(201);

        // An update may not take another workload's object either, and leaves the workload as it was.
        write(
                        OPERATOR,
                        "PUT",
                        "/api/v1/workloads/owner-b",
                        workload("owner-b", "shared", STAGING, configMap("own"), configMap("common")))
                .statusCode(409)
                .body("detail", containsString("workload 'owner-a'"));
        get(VIEWER, "owner-b").statusCode(200).body("generation", equalTo(1));

        // Once the holder gives it up (here: it is deleted), it is free.
        write(OPERATOR, "DELETE", "/api/v1/workloads/owner-a", null).statusCode(204);
        write(
                        OPERATOR,
                        "PUT",
                        "/api/v1/workloads/owner-b",
                        workload("owner-b", "shared", STAGING, configMap("own"), configMap("common")))
                .statusCode(200)
                .body("generation", equalTo(2));
        // ... and the deleted one cannot come back with it.
        write(OPERATOR, "POST", "/api/v1/workloads", workload("owner-a", "shared", STAGING, configMap("common")))
                .statusCode(409)
                .body("detail", containsString("workload 'owner-b'"));
        // An update that drops an object releases it.
        write(OPERATOR, "PUT", "/api/v1/workloads/owner-b", workload("owner-b", "shared", STAGING, configMap("own")))
                .statusCode(200);
        write(OPERATOR, "POST", "/api/v1/workloads", workload("owner-a", "shared", STAGING, configMap("common")))
                .statusCode(201);
    }

    @Test
    void theNamespacesOwnServiceAccountIsNotAWorkloads() {
        refused(
                configMapAnd(
                        Map.of("apiVersion", "v1", "kind", "ServiceAccount", "metadata", Map.of("name", "default"))),
                "manifests[1].metadata.name",
                "ServiceAccount/default: Kubernetes makes and keeps this object in every namespace itself");
    }

    // ------------------------------------------------------------------ who may write

    @Test
    void everyWritePathRefusesAViewer() {
        Map<String, Object> body = workload("viewer-proof", "viewer-proof", STAGING, configMap("settings"));
        write(ADMIN, "POST", "/api/v1/workloads", body).statusCode(201);
        body.put("manifests", List.of(configMap("other")));
        String yaml =
                "name: viewer-proof\nnamespace: shop\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n";

        forbidden(write(
                VIEWER, "POST", "/api/v1/workloads", workload("by-viewer", "by-viewer", STAGING, configMap("a"))));
        forbidden(writeYaml(VIEWER, "POST", "/api/v1/workloads", yaml.replace("viewer-proof", "by-viewer")));
        forbidden(write(VIEWER, "PUT", "/api/v1/workloads/viewer-proof", body));
        forbidden(writeYaml(VIEWER, "PUT", "/api/v1/workloads/viewer-proof", yaml));
        forbidden(write(VIEWER, "POST", "/api/v1/workloads/viewer-proof/rollback", null));
        forbidden(write(VIEWER, "DELETE", "/api/v1/workloads/viewer-proof", null));

        get(VIEWER, "viewer-proof").statusCode(200).body("generation", equalTo(1));
        get(VIEWER, "by-viewer").statusCode(404);
    }

    @Test
    void onlyAFleetAdminWritesWorkloadsThatCanReachProd() {
        // No selector, or only the registered environment ruled out: a cluster labelled environment=prod is prod.
        for (Map<String, Object> selector : List.<Map<String, Object>>of(
                Map.of(), Map.of("environments", List.of("staging")), Map.of("labelSelector", "environment=prod"))) {
            write(OPERATOR, "POST", "/api/v1/workloads", workload("to-prod", "to-prod", selector, configMap("a")))
                    .statusCode(403)
                    .contentType("application/problem+json")
                    .body("type", endsWith("/fleet-admin-required"))
                    .body("errors[0].field", equalTo("placement.clusterSelector"));
        }
        get(VIEWER, "to-prod").statusCode(404);

        Map<String, Object> prod = workload("prod-web", "prod-web", Map.of(), configMap("a"));
        write(ADMIN, "POST", "/api/v1/workloads", prod).statusCode(201).body("reachesProd", equalTo(true));
        prod.put("manifests", List.of(configMap("b")));
        write(ADMIN, "PUT", "/api/v1/workloads/prod-web", prod).statusCode(200).body("generation", equalTo(2));

        // Moving it off prod would withdraw it from prod clusters: a write to prod all the same.
        Map<String, Object> offProd = workload("prod-web", "prod-web", STAGING, configMap("b"));
        forbiddenForProd(write(OPERATOR, "PUT", "/api/v1/workloads/prod-web", offProd), "name");
        // Rolling back would also bring back generation 1, which reaches prod: both reasons are named.
        forbiddenForProd(
                write(OPERATOR, "POST", "/api/v1/workloads/prod-web/rollback", null),
                "name",
                "placement.clusterSelector");
        forbiddenForProd(write(OPERATOR, "DELETE", "/api/v1/workloads/prod-web", null), "name");
        get(VIEWER, "prod-web").statusCode(200).body("generation", equalTo(2));

        // An operator's workload may not be moved onto prod by an operator either.
        write(OPERATOR, "POST", "/api/v1/workloads", workload("stays-off", "stays-off", STAGING, configMap("a")))
                .statusCode(201);
        forbiddenForProd(
                write(
                        OPERATOR,
                        "PUT",
                        "/api/v1/workloads/stays-off",
                        workload("stays-off", "stays-off", Map.of(), configMap("a"))),
                "placement.clusterSelector");

        write(ADMIN, "POST", "/api/v1/workloads/prod-web/rollback", null).statusCode(200);
        write(ADMIN, "DELETE", "/api/v1/workloads/prod-web", null).statusCode(204);
    }

    // ------------------------------------------------------------------ helpers

    private void refused(Map<String, Object> body, String field, String message) {
        write(OPERATOR, "POST", "/api/v1/workloads", body)
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", contains(field))
                .body("errors[0].message", containsString(message));
    }

    private static void forbidden(ValidatableResponse response) {
        response.statusCode(403).contentType("application/problem+json").body("title", equalTo("Forbidden"));
    }

    private static void forbiddenForProd(ValidatableResponse response, String... fields) {
        response.statusCode(403)
                .contentType("application/problem+json")
                .body("type", endsWith("/fleet-admin-required"))
                .body("errors.field", contains(fields));
    }

    private static ValidatableResponse get(String token, String name) {
        return given().header("Authorization", token)
                .get("/api/v1/workloads/" + name)
                .then();
    }

    private static ValidatableResponse write(String token, String method, String path, Map<String, Object> body) {
        var request = given().header("Authorization", token);
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return request.request(method, path).then();
    }

    private static ValidatableResponse writeYaml(String token, String method, String path, String yaml) {
        return given().header("Authorization", token)
                .contentType("application/yaml")
                .body(yaml.getBytes(StandardCharsets.UTF_8))
                .request(method, path)
                .then();
    }

    private AuditRecord auditRecord(String action, String workload) {
        Function<CloudEventCollector.Received, AuditRecord> read = r -> EventJson.read(r.value(), AuditRecord.class);
        return read.apply(audit.awaitFirst(
                r -> r.value() != null
                        && "Workload/".concat(workload).equals(r.key())
                        && action.equals(read.apply(r).action()),
                EVENTUALLY));
    }

    @SafeVarargs
    private static Map<String, Object> workload(
            String name, String namespace, Map<String, Object> selector, Map<String, Object>... manifests) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("namespace", namespace);
        body.put("manifests", List.of(manifests));
        body.put("placement", Map.of("clusterSelector", selector));
        return body;
    }

    private static Map<String, Object> configMapAnd(Map<String, Object> other) {
        return workload("refused", "refused", STAGING, configMap("settings"), other);
    }

    private static Map<String, Object> configMap(String name) {
        return Map.of(
                "apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", name), "data", Map.of("k", "v"));
    }

    private static Map<String, Object> deployment(String name, String image) {
        return deployment(name, image, name);
    }

    private static Map<String, Object> deployment(String name, String image, String app) {
        return io.meridian.placement.TestManifests.deployment(name, image, app);
    }
}
