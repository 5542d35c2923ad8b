package io.meridian.policy;

import io.meridian.testsupport.KafkaTestResource;
import io.meridian.testsupport.PostgresTestResource;
import io.meridian.testsupport.ServiceBaselineTest;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "schema", value = "policy"))
@WithTestResource(OidcWiremockTestResource.class)
class PolicyServiceTest extends ServiceBaselineTest {

    @Override
    protected String serviceName() {
        return "policy";
    }

    @Override
    protected String schemaVersion() {
        return "12";
    }
}
