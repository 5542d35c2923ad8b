package io.meridian.placement.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

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
import java.net.URL;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Placement's lists a page at a time, as every Meridian list: {@code limit} (50 by default, at most the list's
 * maximum) and the opaque {@code cursor} each page hands on as {@code nextCursor}, in a stable order; a bad limit or
 * cursor is a 400 naming it. Each test has a namespace of its own, so the other tests' workloads stay out of its pages.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "schema", value = "placement"))
@WithTestResource(OidcWiremockTestResource.class)
class WorkloadPagingComponentTest {

    private static final String OPERATOR = Tokens.bearer("olga", Tokens.OPERATOR);
    private static final String VIEWER = Tokens.bearer("vera", Tokens.VIEWER);
    private static final Map<String, Object> STAGING =
            Map.of("environments", List.of("staging"), "labelSelector", "environment!=prod,test=workload-paging");

    @TestHTTPResource(value = "openapi", management = true)
    URL openApi;

    @Test
    void workloadsComePageByPageInNameOrderUntilTheLastHasNoCursor() {
        for (String name : List.of("paged-e", "paged-a", "paged-d", "paged-b", "paged-c")) {
            create(name, "paging", 1);
        }

        String second = list("namespace=paging&limit=2")
                .statusCode(200)
                .body("items.name", contains("paged-a", "paged-b"))
                .body("total", equalTo(5))
                .body("nextCursor", notNullValue())
                .extract()
                .path("nextCursor");
        assertThat(second).as("the cursor is opaque").doesNotContain("paged-b");
        String third = list("namespace=paging&limit=2&cursor=" + second)
                .statusCode(200)
                .body("items.name", contains("paged-c", "paged-d"))
                .body("total", equalTo(5))
                .extract()
                .path("nextCursor");
        list("namespace=paging&limit=2&cursor=" + third)
                .statusCode(200)
                .body("items.name", contains("paged-e"))
                .body("nextCursor", nullValue());

        // Without a limit, a page holds 50: all five, and nothing follows.
        list("namespace=paging")
                .statusCode(200)
                .body("items.name", contains("paged-a", "paged-b", "paged-c", "paged-d", "paged-e"))
                .body("nextCursor", nullValue());
    }

    @Test
    void aCursorThisListDidNotReturnIsA400NamingCursor() {
        create("cursor-check", "cursor-check", 2);
        String revisionsCursor = given().header("Authorization", VIEWER)
                .get("/api/v1/workloads/cursor-check/revisions?limit=1")
                .then()
                .statusCode(200)
                .extract()
                .path("nextCursor");

        for (String bad : List.of("not-a-cursor!", "bm90LWEtY3Vyc29y", revisionsCursor)) {
            invalid(list("cursor=" + bad), "cursor");
        }
        // A cursor of one workload's revisions is not one of another's.
        create("cursor-other", "cursor-check", 2);
        invalid(
                given().header("Authorization", VIEWER)
                        .get("/api/v1/workloads/cursor-other/revisions?cursor=" + revisionsCursor)
                        .then(),
                "cursor");
    }

    @Test
    void aLimitOutsideOneToTheMaximumIsA400NamingLimit() {
        invalid(list("limit=101"), "limit").body("errors[0].message", equalTo("must be between 1 and 100"));
        invalid(list("limit=0"), "limit");
        invalid(
                given().header("Authorization", VIEWER)
                        .get("/api/v1/workloads/any/revisions?limit=501")
                        .then(),
                "limit");
        list("limit=100").statusCode(200);
    }

    @Test
    void revisionsComeNewestFirstPageByPage() {
        create("revised", "revised", 3);

        String next = given().header("Authorization", VIEWER)
                .get("/api/v1/workloads/revised/revisions?limit=2")
                .then()
                .statusCode(200)
                .body("items.generation", contains(3, 2))
                .body("total", equalTo(3))
                .extract()
                .path("nextCursor");
        given().header("Authorization", VIEWER)
                .get("/api/v1/workloads/revised/revisions?limit=2&cursor=" + next)
                .then()
                .statusCode(200)
                .body("items.generation", contains(1))
                .body("nextCursor", nullValue());
        given().header("Authorization", VIEWER)
                .get("/api/v1/workloads/no-such/revisions")
                .then()
                .statusCode(404);
    }

    @Test
    void theSharedProblemResponsesAreDocumentedOnceAndReferenced() {
        ValidatableResponse doc =
                given().accept("application/json").get(openApi).then().statusCode(200);
        doc.body("components.responses.NoSuchWorkload.description", equalTo("No such workload"))
                .body(
                        "paths.'/api/v1/workloads/{name}'.delete.responses.'404'.$ref",
                        equalTo("#/components/responses/NoSuchWorkload"))
                .body(
                        "paths.'/api/v1/workloads/{name}/rollout/resume'.post.responses.'403'.$ref",
                        equalTo("#/components/responses/MayNotChangeWorkload"))
                .body(
                        "paths.'/api/v1/workloads'.get.responses.'400'.$ref",
                        equalTo("#/components/responses/InvalidPage"))
                .body("components.schemas.Problem", notNullValue())
                // JSON and YAML are one operation with two kinds of body.
                .body(
                        "paths.'/api/v1/workloads'.post.requestBody.content",
                        org.hamcrest.Matchers.hasKey("application/yaml"))
                .body(
                        "paths.'/api/v1/workloads'.post.requestBody.content",
                        org.hamcrest.Matchers.hasKey("application/json"));
    }

    // ------------------------------------------------------------------ helpers

    private static ValidatableResponse list(String query) {
        return given().header("Authorization", VIEWER)
                .get("/api/v1/workloads?" + query)
                .then();
    }

    private static ValidatableResponse invalid(ValidatableResponse response, String field) {
        return response.statusCode(400).contentType("application/problem+json").body("errors.field", contains(field));
    }

    /** A workload at {@code generations} generations, each a new ConfigMap value. */
    private static void create(String name, String namespace, int generations) {
        for (int g = 1; g <= generations; g++) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("namespace", namespace);
            body.put(
                    "manifests",
                    List.of(Map.of(
                            "apiVersion",
                            "v1",
                            "kind",
                            "ConfigMap",
                            "metadata",
                            // Its own object: two workloads may not declare the same one.
                            Map.of("name", name + "-settings"),
                            "data",
                            Map.of("generation", Integer.toString(g)))));
            body.put("placement", Map.of("clusterSelector", STAGING));
            given().header("Authorization", OPERATOR)
                    .contentType(ContentType.JSON)
                    .body(body)
                    .request(g == 1 ? "POST" : "PUT", g == 1 ? "/api/v1/workloads" : "/api/v1/workloads/" + name)
                    .then()
                    .statusCode(g == 1 ? 201 : 200)
                    .body("generation", equalTo(g));
        }
    }
}
