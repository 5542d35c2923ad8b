package io.meridian.observability;

import static io.restassured.RestAssured.given;

import io.meridian.testsupport.KafkaTestResource;
import io.meridian.testsupport.PostgresTestResource;
import io.meridian.testsupport.ServiceBaselineTest;
import io.meridian.testsupport.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "schema", value = "observability"))
@WithTestResource(OidcWiremockTestResource.class)
class ObservabilityServiceTest extends ServiceBaselineTest {

    @Override
    protected String serviceName() {
        return "observability";
    }

    @Override
    protected String schemaVersion() {
        return "12";
    }

    @Test
    void aTokenIssuedForTheOtherServicesOnlyIs401() {
        String forOthers = Tokens.forAudience(Tokens.audiencesExcept("meridian-observability"), "vera", Tokens.VIEWER);
        given().header("Authorization", "Bearer " + forOthers)
                .get("/api/v1/service")
                .then()
                .statusCode(401);
        String forThisService = Tokens.forAudience(List.of("meridian-observability"), "vera", Tokens.VIEWER);
        given().header("Authorization", "Bearer " + forThisService)
                .get("/api/v1/service")
                .then()
                .statusCode(200);
    }
}
