package io.meridian.placement;

import io.meridian.testsupport.KafkaTestResource;
import io.meridian.testsupport.PostgresTestResource;
import io.meridian.testsupport.ServiceBaselineTest;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/** The placement service does what every Meridian service does from its first day. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "schema", value = "placement"))
@WithTestResource(OidcWiremockTestResource.class)
class PlacementServiceTest extends ServiceBaselineTest {

    @Override
    protected String serviceName() {
        return "placement";
    }

    @Override
    protected String schemaVersion() {
        return "23";
    }
}
