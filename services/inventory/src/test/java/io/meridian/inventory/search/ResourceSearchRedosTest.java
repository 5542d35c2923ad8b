package io.meridian.inventory.search;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.meridian.contracts.resource.Container;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.resource.StatusSummary;
import io.meridian.testsupport.KafkaTestResource;
import io.meridian.testsupport.PostgresTestResource;
import io.meridian.testsupport.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A fleet viewer's image glob cannot stall the service: every answer comes back at once. */
@QuarkusTest
// The same broker resource as BundleEngineComponentTest (its test owner's topic), so that one boot serves them all.
@WithTestResource(
        value = KafkaTestResource.class,
        initArgs = @ResourceArg(name = "topics", value = "fleet.desired.fleet-test.v1:6"))
@WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "schema", value = "inventory"))
@WithTestResource(OidcWiremockTestResource.class)
class ResourceSearchRedosTest {

    private static final String VIEWER = Tokens.bearer("vera", Tokens.VIEWER);
    private static final String CLUSTER = "redos-search-1";

    @Inject
    ResourceIndex index;

    @BeforeEach
    void fleetWithLongImageReferences() {
        for (int i = 0; i < 200; i++) {
            index.put(deployment(
                    "app-" + i,
                    "registry.example.com/platform/team-" + i + "/service-with-a-long-name-" + "a".repeat(40) + ":1.2."
                            + i));
        }
        index.put(deployment("web", "nginx:1.27"));
        // Warm up (token keys, first request) so the bound below measures the search alone.
        given().header("Authorization", VIEWER)
                .queryParam("cluster", CLUSTER)
                .get("/api/v1/resources")
                .then()
                .statusCode(200);
    }

    @AfterEach
    void forget() {
        index.forgetCluster(CLUSTER);
    }

    @Test
    void theGlobThatStalledInventoryAnswersWithinTwoSeconds() {
        Response response = search("*".repeat(30) + "Z", Duration.ofSeconds(2));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getInt("total")).isZero();

        Response alternating = search("*a".repeat(255) + "Z", Duration.ofSeconds(2));
        assertThat(alternating.statusCode()).isEqualTo(200);
        assertThat(alternating.jsonPath().getInt("total")).isZero();
    }

    @Test
    void globsStillFindWhatRunsWhere() {
        given().header("Authorization", VIEWER)
                .queryParam("cluster", CLUSTER)
                .queryParam("image", "nginx:1.2?")
                .get("/api/v1/resources")
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("items.name", hasItem("web"));
        given().header("Authorization", VIEWER)
                .queryParam("cluster", CLUSTER)
                .queryParam("image", "*/team-1?/*")
                .get("/api/v1/resources")
                .then()
                .statusCode(200)
                .body("total", equalTo(10));
    }

    @Test
    void aBadGlobIsA400NamingTheField() {
        for (String bad : List.of("a".repeat(513), "nginx :1", " ")) {
            Response response = search(bad, Duration.ofSeconds(2));
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.jsonPath().getList("errors.field", String.class))
                    .containsExactly("image");
        }
    }

    private static Response search(String image, Duration within) {
        // Preemptive: were matching to backtrack again, the test fails instead of hanging the build.
        long started = System.nanoTime();
        Response response = assertTimeoutPreemptively(
                Duration.ofSeconds(30),
                () -> given().header("Authorization", VIEWER)
                        .queryParam("image", image)
                        .get("/api/v1/resources"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(within);
        return response;
    }

    private static ObservedResource deployment(String name, String image) {
        return new ObservedResource(
                CLUSTER,
                "apps",
                "apps/v1",
                "Deployment",
                "default",
                name,
                "uid-" + name,
                "1",
                Map.of("app", name),
                Map.of(),
                null,
                null,
                List.of(new Container(name, image, null, null)),
                null,
                null,
                new StatusSummary(null, true, 1, 1, null, Map.of()),
                Instant.EPOCH,
                1);
    }
}
