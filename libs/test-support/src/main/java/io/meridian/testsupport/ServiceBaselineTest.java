package io.meridian.testsupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * What every Meridian service must do from its first day, checked against the real broker and
 * database: report Kafka and PostgreSQL in its health, expose metrics and OpenAPI on the management
 * port and nowhere else, and refuse its API without a token (401) or without a fleet role (403). A
 * service test extends this and adds {@code @QuarkusTest} with the Kafka, PostgreSQL and OIDC test
 * resources.
 */
public abstract class ServiceBaselineTest {

    // The management interface's root (/q) on its own test port; RestAssured's default is the API port.
    @TestHTTPResource(value = "health/ready", management = true)
    URL managementReadiness;

    @TestHTTPResource(value = "health/live", management = true)
    URL managementLiveness;

    @TestHTTPResource(value = "metrics", management = true)
    URL managementMetrics;

    @TestHTTPResource(value = "openapi", management = true)
    URL managementOpenApi;

    @TestHTTPResource(value = "swagger-ui", management = true)
    URL managementSwaggerUi;

    /** The service name as it appears in {@code quarkus.application.name}. */
    protected abstract String serviceName();

    /** The latest Flyway version of the service's own migrations. */
    protected String schemaVersion() {
        return "10";
    }

    @Test
    void readinessReportsKafkaAndBothDatasourcesUp() {
        given().when()
                .get(managementReadiness)
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Kafka connection health check", "Database connections health check"))
                .body("checks.name", hasItem(containsString("Reactive PostgreSQL")))
                .body("checks.status", not(hasItem("DOWN")));
    }

    @Test
    void livenessIsUp() {
        given().when().get(managementLiveness).then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void exposesPrometheusMetricsIncludingTheOutboxRelay() {
        given().when()
                .get(managementMetrics)
                .then()
                .statusCode(200)
                .body(containsString("jvm_memory_used_bytes"))
                .body(containsString("meridian_outbox_relayed_total"));
    }

    @Test
    void publishesOpenApiWithBearerSecurity() {
        given().accept("application/json")
                .when()
                .get(managementOpenApi)
                .then()
                .statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/service"))
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"))
                // Swagger UI on the management port sends "Try it out" to the API port.
                .body("servers.url", hasItem(matchesPattern("http://localhost:\\d+")));
    }

    @Test
    void healthMetricsAndApiDocsAreOnTheManagementPortOnly() {
        // Metrics name clusters and costs; nothing but the REST API may answer on the port users reach.
        for (String path : new String[] {"/q/metrics", "/q/health", "/q/health/ready", "/q/openapi", "/q/swagger-ui"}) {
            given().redirects().follow(false).when().get(path).then().statusCode(404);
        }
        given().redirects().follow(true).when().get(managementSwaggerUi).then().statusCode(200);
        assertThat(managementMetrics.getPort())
                .as("the management port is not the API port")
                .isNotEqualTo(RestAssured.port);
    }

    @Test
    void swaggerUiOnTheManagementPortMayCallTheApiAndNoOtherOriginMay() throws IOException {
        // The port application.properties configures, where a developer's browser finds Swagger UI; the running
        // test's configuration says the random port the test bound instead.
        Properties application = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("application.properties")) {
            application.load(in);
        }
        String swaggerUi = "http://127.0.0.1:" + application.getProperty("quarkus.management.port");
        given().header("Origin", swaggerUi)
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization")
                .when()
                .options("/api/v1/service")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", swaggerUi);
        given().header("Origin", "https://elsewhere.example")
                .header("Access-Control-Request-Method", "GET")
                .when()
                .options("/api/v1/service")
                .then()
                .header("Access-Control-Allow-Origin", nullValue());
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
