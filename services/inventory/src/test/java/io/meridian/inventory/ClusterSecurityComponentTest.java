package io.meridian.inventory;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.eventing.Await;
import io.meridian.inventory.credentials.ClusterCredentials;
import io.meridian.inventory.credentials.CredentialCipher;
import io.meridian.inventory.credentials.KeyRing;
import io.meridian.inventory.persistence.CredentialVault;
import io.meridian.testsupport.Awaits;
import io.meridian.testsupport.CloudEventCollector;
import io.meridian.testsupport.CloudEventCollector.Received;
import io.meridian.testsupport.ClusterObjects;
import io.meridian.testsupport.KafkaBroker;
import io.meridian.testsupport.KafkaTestResource;
import io.meridian.testsupport.MockCluster;
import io.meridian.testsupport.PostgresTestResource;
import io.meridian.testsupport.Tokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hardening of issue 17 in inventory, against the real broker and database: tokens only for inventory's
 * audience, the cluster endpoint allow-list, re-encryption of credentials under a new key, env values kept off the
 * bus, and refused requests audited.
 */
@QuarkusTest
// The same broker resource as BundleEngineComponentTest (its test owner's topic), so that one boot serves them all.
@WithTestResource(
        value = KafkaTestResource.class,
        initArgs = @ResourceArg(name = "topics", value = BundleEngineComponentTest.OWNER_TOPIC + ":6"))
@WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "schema", value = "inventory"))
@WithTestResource(OidcWiremockTestResource.class)
class ClusterSecurityComponentTest {

    private static final String OPERATOR = Tokens.bearer("olga", Tokens.OPERATOR);
    private static final Duration EVENTUALLY = Duration.ofSeconds(30);
    // The key application.properties configures as 'test-previous' in the test profile; 'test' is active.
    private static final String PREVIOUS_KEY = "dGVzdC1vbmx5LXByZXZpb3VzLWtleS1ub3QtcHJvZCE=";

    private static CloudEventCollector events;

    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    CredentialVault vault;

    @Inject
    MeterRegistry meters;

    @BeforeAll
    static void collect() {
        events = CloudEventCollector.collect(
                KafkaBroker.shared().bootstrapServers(),
                Topic.RESOURCES.topicName(),
                Topic.AUDIT_INVENTORY.topicName());
    }

    @AfterAll
    static void stop() {
        events.close();
    }

    // ---- 6. A token counts only where its audience names the service

    @Test
    void aTokenIssuedForTheOtherServicesOnlyIs401Here() {
        String forOthers = Tokens.forAudience(Tokens.audiencesExcept("meridian-inventory"), "olga", Tokens.OPERATOR);
        given().header("Authorization", "Bearer " + forOthers)
                .get("/api/v1/clusters")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"));
        String forInventory = Tokens.forAudience(List.of("meridian-inventory"), "olga", Tokens.OPERATOR);
        given().header("Authorization", "Bearer " + forInventory)
                .get("/api/v1/clusters")
                .then()
                .statusCode(200);
    }

    // ---- 7. SSRF: the endpoint allow-list (127.0.0.0/8, ::1/128 and localhost in the test profile)

    @Test
    void aRegistrationOnAHostOffTheAllowListIsA400NamingTheField() {
        Map<String, Object> metadataService = tokenRegistration("ssrf-metadata");
        metadataService.put("apiServerUrl", "https://169.254.169.254:443");
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(metadataService)
                .post("/api/v1/clusters")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("apiServerUrl"))
                .body(
                        "errors.find { it.field == 'apiServerUrl' }.message",
                        containsString("meridian.inventory.cluster-endpoints.allowed"));

        Map<String, Object> internalMetrics = tokenRegistration("ssrf-metrics");
        internalMetrics.put("apiServerUrl", "https://127.0.0.1:1");
        internalMetrics.put("metricsUrl", "http://10.0.0.1:9100/metrics");
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(internalMetrics)
                .post("/api/v1/clusters")
                .then()
                .statusCode(400)
                .body("errors.field", equalTo(List.of("metricsUrl")));

        try (MockCluster cluster = MockCluster.start("ssrf-kubeconfig")) {
            Map<String, Object> kubeconfigElsewhere = new HashMap<>(tokenRegistration("ssrf-kubeconfig"));
            kubeconfigElsewhere.put(
                    "credentials",
                    Map.of("kubeconfig", cluster.kubeconfig().replace(cluster.url(), "https://169.254.169.254/")));
            given().header("Authorization", OPERATOR)
                    .contentType(ContentType.JSON)
                    .body(kubeconfigElsewhere)
                    .post("/api/v1/clusters")
                    .then()
                    .statusCode(400)
                    .body("errors.field", hasItem("credentials.kubeconfig"));
        }
        given().header("Authorization", OPERATOR)
                .get("/api/v1/clusters/ssrf-metadata")
                .then()
                .statusCode(404);

        // Allowed hosts register, and a change to a host off the list is refused just the same.
        Map<String, Object> allowed = tokenRegistration("ssrf-allowed");
        allowed.put("apiServerUrl", "https://localhost:1");
        allowed.put("metricsUrl", "http://127.0.0.1:9100/metrics");
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(allowed)
                .post("/api/v1/clusters")
                .then()
                .statusCode(201);
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("metricsUrl", "http://169.254.169.254/latest/meta-data/"))
                .patch("/api/v1/clusters/ssrf-allowed")
                .then()
                .statusCode(400)
                .body("errors.field", equalTo(List.of("metricsUrl")));
        given().header("Authorization", OPERATOR)
                .get("/api/v1/clusters/ssrf-allowed")
                .then()
                .statusCode(200)
                .body("metricsUrl", equalTo("http://127.0.0.1:9100/metrics"));
        given().header("Authorization", OPERATOR)
                .delete("/api/v1/clusters/ssrf-allowed")
                .then()
                .statusCode(204);
    }

    @Test
    void aClusterWhoseEndpointIsNoLongerAllowedIsNotConnectedTo() {
        Map<String, Object> body = tokenRegistration("ssrf-later");
        body.put("apiServerUrl", "https://127.0.0.1:1");
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/clusters")
                .then()
                .statusCode(201);
        try {
            // As a Cluster API import (or DNS answering otherwise since) would leave it: off the list, never
            // checked by the REST API. 0.0.0.0 is off the list and, were it ever connected to, this machine.
            Await.on(() -> sessions.withTransaction(session -> session.createNativeQuery(
                            "UPDATE cluster SET api_server_url = 'https://0.0.0.0:1' WHERE name = 'ssrf-later'")
                    .executeUpdate()));
            given().header("Authorization", OPERATOR)
                    .contentType(ContentType.JSON)
                    .body(Map.of("displayName", "moved"))
                    .patch("/api/v1/clusters/ssrf-later")
                    .then()
                    .statusCode(200);

            Awaits.eventually(
                    EVENTUALLY,
                    () -> given().header("Authorization", OPERATOR)
                            .get("/api/v1/clusters/ssrf-later")
                            .then()
                            .body("status.phase", equalTo("Unreachable"))
                            .body(
                                    "status.conditions.find { it.type == 'Reachable' }.reason",
                                    equalTo("EndpointNotAllowed"))
                            .body(
                                    "status.conditions.find { it.type == 'Reachable' }.message",
                                    containsString("0.0.0.0")));
        } finally {
            given().header("Authorization", OPERATOR)
                    .delete("/api/v1/clusters/ssrf-later")
                    .then()
                    .statusCode(204);
        }
    }

    // ---- 8. Credential key rotation

    @Test
    void credentialsUnderAnOldKeyAreReencryptedUnderTheActiveKeyAndStillOpen() {
        var previous = new CredentialCipher(
                KeyRing.parse("test-previous", Map.of("test-previous", PREVIOUS_KEY)), new SecureRandom());
        List<String> names = List.of("rotate-a", "rotate-b", "rotate-c");
        for (String name : names) {
            String plaintext = "{\"kind\":\"token\",\"token\":\"token-of-" + name
                    + "\",\"caBundle\":null,\"insecureSkipTlsVerify\":true}";
            String stored = previous.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), name)
                    .toStorage();
            Await.on(() -> sessions.withTransaction(session -> session.createNativeQuery(
                            "INSERT INTO cluster (name, cloud, api_server_url, credential_kind, credential_secret,"
                                    + " credential_key_id, created_at, updated_at)"
                                    + " VALUES (:name, 'onprem', 'https://127.0.0.1:1', 'token', :secret,"
                                    + " 'test-previous', now(), now())")
                    .setParameter("name", name)
                    .setParameter("secret", stored)
                    .executeUpdate()));
        }
        try {
            Awaits.eventually(EVENTUALLY, () -> {
                assertThat(keyIdsOf(names))
                        .containsOnlyKeys(names)
                        .allSatisfy((name, keyId) -> assertThat(keyId).isEqualTo("test"));
                assertThat(meters.get("meridian.inventory.credentials.by.key")
                                .tag("key_id", "test-previous")
                                .gauge()
                                .value())
                        .isZero();
            });
            assertThat(meters.get("meridian.inventory.credentials.reencrypted")
                            .counter()
                            .count())
                    .isGreaterThanOrEqualTo(names.size());
            for (String name : names) {
                String stored = Await.on(() -> sessions.withSession(session -> session.createNativeQuery(
                                "SELECT credential_secret FROM cluster WHERE name = :name", String.class)
                        .setParameter("name", name)
                        .getSingleResult()));
                assertThat(stored).startsWith("v1:test:");
                assertThat(vault.open(name, stored))
                        .isEqualTo(new ClusterCredentials.BearerToken("token-of-" + name, null, true));
            }
            assertThat(versionsOf(names))
                    .as("re-encryption leaves the registration revision alone: connections do not restart")
                    .containsOnly(0L);
        } finally {
            Await.on(() -> sessions.withTransaction(
                    session -> session.createNativeQuery("DELETE FROM cluster WHERE name IN (:names)")
                            .setParameter("names", names)
                            .executeUpdate()));
        }
    }

    private Map<String, String> keyIdsOf(List<String> names) {
        List<Object[]> rows = Await.on(() -> sessions.withSession(session -> session.createNativeQuery(
                        "SELECT name, credential_key_id FROM cluster WHERE name IN (:names)", Object[].class)
                .setParameter("names", names)
                .getResultList()));
        Map<String, String> keyIds = new HashMap<>();
        rows.forEach(row -> keyIds.put((String) row[0], (String) row[1]));
        return keyIds;
    }

    private List<Long> versionsOf(List<String> names) {
        return Await.on(() -> sessions.withSession(
                session -> session.createNativeQuery("SELECT version FROM cluster WHERE name IN (:names)", Long.class)
                        .setParameter("names", names)
                        .getResultList()));
    }

    // ---- 9. Less on the bus: env values

    @Test
    void envValuesAreRedactedOnTheBusUnlessTheirNamespaceIsRevealed() {
        try (MockCluster cluster = MockCluster.start("env-redaction-1")) {
            var k8s = cluster.client();
            k8s.apps().deployments().resource(withPassword("shop")).create();
            k8s.apps().deployments().resource(withPassword("debug")).create();

            given().header("Authorization", OPERATOR)
                    .contentType(ContentType.JSON)
                    .body(kubeconfigRegistration("env-redaction-1", cluster.kubeconfig()))
                    .post("/api/v1/clusters")
                    .then()
                    .statusCode(201);
            try {
                Received shop = events.awaitFirst(
                        r -> "env-redaction-1/apps/Deployment/shop/ledger".equals(r.key()) && !r.isTombstone(),
                        EVENTUALLY);
                Received debug = events.awaitFirst(
                        r -> "env-redaction-1/apps/Deployment/debug/ledger".equals(r.key()) && !r.isTombstone(),
                        EVENTUALLY);

                String shopRecord = new String(shop.value(), StandardCharsets.UTF_8);
                assertThat(shopRecord)
                        .doesNotContain("hunter2")
                        .contains("PASSWORD")
                        .contains("db-credentials");
                ObservedResource observed = EventJson.read(shop.value(), ObservedResource.class);
                assertThat(observed.object().toString()).contains("name=PASSWORD, value=<redacted>");
                assertThat(new String(debug.value(), StandardCharsets.UTF_8)).contains("hunter2");
            } finally {
                given().header("Authorization", OPERATOR)
                        .delete("/api/v1/clusters/env-redaction-1")
                        .then()
                        .statusCode(204);
            }
        }
    }

    private static Deployment withPassword(String namespace) {
        Deployment deployment = ClusterObjects.deployment(namespace, "ledger", "ledger:1.0", 1);
        return new DeploymentBuilder(deployment)
                .editSpec()
                .editTemplate()
                .editSpec()
                .editFirstContainer()
                .addToEnv(new EnvVarBuilder()
                        .withName("PASSWORD")
                        .withValue("hunter2")
                        .build())
                .addToEnv(new EnvVarBuilder()
                        .withName("DB_URL")
                        .withNewValueFrom()
                        .withNewSecretKeyRef()
                        .withName("db-credentials")
                        .withKey("url")
                        .endSecretKeyRef()
                        .endValueFrom()
                        .build())
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    // ---- 9. Refused requests are audit records, a few per caller and minute

    @Test
    void aViewersForbiddenWriteIsOneAuditRecordAndAFloodIsCappedPerCaller() {
        String viewer = "vic-" + UUID.randomUUID();
        String token = Tokens.bearer(viewer, Tokens.VIEWER);
        given().header("Authorization", token)
                .header("X-Correlation-Id", "denied-" + viewer)
                .contentType(ContentType.JSON)
                .body(tokenRegistration("viewer-write"))
                .post("/api/v1/clusters")
                .then()
                .statusCode(403);

        Received first = events.awaitFirst(r -> deniedRecordOf(r, viewer), EVENTUALLY);
        AuditRecord record = EventJson.read(first.value(), AuditRecord.class);
        assertThat(record.outcome()).isEqualTo(AuditRecord.Outcome.denied);
        assertThat(record.service()).isEqualTo("inventory");
        assertThat(record.correlationId()).isEqualTo("denied-" + viewer);
        assertThat(record.details())
                .containsEntry("method", "POST")
                .containsEntry("path", "/api/v1/clusters")
                .containsEntry("status", "403");

        String flooder = "flo-" + UUID.randomUUID();
        String flooderToken = Tokens.bearer(flooder, Tokens.VIEWER);
        double suppressedBefore = suppressed();
        for (int i = 0; i < 50; i++) {
            given().header("Authorization", flooderToken)
                    .delete("/api/v1/clusters/anything-" + i)
                    .then()
                    .statusCode(403);
        }
        // Denials without a valid token are counted per remote address.
        given().delete("/api/v1/clusters/anything").then().statusCode(401);

        Awaits.eventually(
                EVENTUALLY, () -> assertThat(suppressed() - suppressedBefore).isGreaterThanOrEqualTo(40));
        Awaits.eventually(
                EVENTUALLY,
                () -> assertThat(events.all().stream()
                                .filter(r -> deniedRecordOf(r, flooder))
                                .count())
                        .isEqualTo(10));
        events.awaitFirst(
                r -> isAudit(r)
                        && EventJson.read(r.value(), AuditRecord.class)
                                .actor()
                                .name()
                                .startsWith("anonymous@")
                        && "401"
                                .equals(EventJson.read(r.value(), AuditRecord.class)
                                        .details()
                                        .get("status")),
                EVENTUALLY);
        assertThat(events.all().stream().filter(r -> deniedRecordOf(r, viewer)).count())
                .as("one forbidden write, one record")
                .isEqualTo(1);
    }

    private double suppressed() {
        return meters.get("meridian.audit.access.denied.suppressed").counter().count();
    }

    private static boolean isAudit(Received r) {
        return r.event() != null
                && EventType.AUDIT_RECORD_APPENDED.type().equals(r.event().type())
                && r.value() != null;
    }

    private static boolean deniedRecordOf(Received r, String actor) {
        if (!isAudit(r)) {
            return false;
        }
        AuditRecord record = EventJson.read(r.value(), AuditRecord.class);
        return "access.denied".equals(record.action())
                && actor.equals(record.actor().name());
    }

    private static Map<String, Object> tokenRegistration(String name) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("cloud", "onprem");
        body.put("region", "dc-frankfurt");
        body.put("environment", "dev");
        body.put("labels", Map.of());
        body.put("credentials", Map.of("token", "t-" + name, "insecureSkipTlsVerify", true));
        return body;
    }

    private static Map<String, Object> kubeconfigRegistration(String name, String kubeconfig) {
        Map<String, Object> body = tokenRegistration(name);
        body.put("credentials", Map.of("kubeconfig", kubeconfig));
        return body;
    }
}
