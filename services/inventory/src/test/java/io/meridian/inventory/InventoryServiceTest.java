package io.meridian.inventory;

import io.meridian.testsupport.KafkaTestResource;
import io.meridian.testsupport.PostgresTestResource;
import io.meridian.testsupport.ServiceBaselineTest;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

@QuarkusTest
// The same broker resource as BundleEngineComponentTest (its test owner's topic), so that one boot serves them all.
@WithTestResource(
        value = KafkaTestResource.class,
        initArgs = @ResourceArg(name = "topics", value = BundleEngineComponentTest.OWNER_TOPIC + ":6"))
@WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "schema", value = "inventory"))
@WithTestResource(OidcWiremockTestResource.class)
class InventoryServiceTest extends ServiceBaselineTest {

    @Override
    protected String serviceName() {
        return "inventory";
    }

    @Override
    protected String schemaVersion() {
        return "13";
    }
}
