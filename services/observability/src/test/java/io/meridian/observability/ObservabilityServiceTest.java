package io.meridian.observability;

import io.meridian.testsupport.KafkaTestResource;
import io.meridian.testsupport.PostgresTestResource;
import io.meridian.testsupport.ServiceBaselineTest;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

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
        return "11";
    }
}
