package io.meridian.testsupport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

/**
 * What every Meridian service must do from its first day, checked against the real broker and
 * database: report Kafka and PostgreSQL in its health, expose metrics and OpenAPI, and refuse its API
 * without a token (401) or without a fleet role (403). A service test extends this and adds
 * {@code @QuarkusTest} with the Kafka, PostgreSQL and OIDC test resources.
 */
public abstract class ServiceBaselineTest {

    /** The service name as it appears in {@code quarkus.application.name}. */
    protected abstract String serviceName();

    /** The latest Flyway version of the service's own migrations. */
    protected String schemaVersion() {
        return "10";
    }

    @Test
    void readinessReportsKafkaAndBothDatasourcesUp() {
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Kafka connection health check", "Database connections health check"))
                .body("checks.name", hasItem(containsString("Reactive PostgreSQL")))
                .body("checks.status", not(hasItem("DOWN")));
    }

    @Test
    void livenessIsUp() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void exposesPrometheusMetricsIncludingTheOutboxRelay() {
        given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("jvm_memory_used_bytes"))
                .body(containsString("meridian_outbox_relayed_total"));
    }

    @Test
    void publishesOpenApiWithBearerSecurity() {
        given().accept("application/json")
                .when()
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/service"))
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"));
    }

    @Test
    void apiWithoutTokenIs401Problem() {
        given().when()
                .get("/api/v1/service")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo(401));
    }

    @Test
    void apiWithForgedTokenIs401() {
        given().header("Authorization", "Bearer not.a.token")
                .when()
                .get("/api/v1/service")
                .then()
                .statusCode(401);
    }

    @Test
    void apiWithoutFleetRoleIs403Problem() {
        given().header("Authorization", Tokens.bearer("mallory", "offline_access"))
                .when()
                .get("/api/v1/service")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("title", equalTo("Forbidden"));
    }

    @Test
    void viewerSeesServiceAndOwnRoles() {
        given().header("Authorization", Tokens.bearer("vera", Tokens.VIEWER))
                .when()
                .get("/api/v1/service")
                .then()
                .statusCode(200)
                .header("X-Correlation-Id", org.hamcrest.Matchers.notNullValue())
                .body("service", equalTo(serviceName()))
                .body("schemaVersion", equalTo(schemaVersion()))
                .body("caller.name", equalTo("vera"))
                .body("caller.roles", org.hamcrest.Matchers.contains(Tokens.VIEWER))
                .body("caller.canWrite", equalTo(false));
    }

    @Test
    void unknownApiPathIs404Problem() {
        given().header("Authorization", Tokens.bearer("vera", Tokens.VIEWER))
                .when()
                .get("/api/v1/no-such-thing")
                .then()
                .statusCode(404);
    }
}
