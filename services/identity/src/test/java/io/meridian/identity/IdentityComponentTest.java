package io.meridian.identity;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.access.AccessEvent;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.contracts.cluster.Cloud;
import io.meridian.contracts.cluster.ClusterPhase;
import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.desired.DesiredBundle;
import io.meridian.contracts.kafka.DeadLetterHeaders;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.resource.PolicyRule;
import io.meridian.contracts.resource.Rbac;
import io.meridian.contracts.resource.ResyncMarker;
import io.meridian.contracts.resource.RoleRef;
import io.meridian.contracts.resource.Subject;
import io.meridian.contracts.sync.ObjectOutcome;
import io.meridian.contracts.sync.SyncReport;
import io.meridian.identity.reconcile.GrantLifecycle;
import io.meridian.testsupport.Awaits;
import io.meridian.testsupport.CloudEventCollector;
import io.meridian.testsupport.CloudEventCollector.Received;
import io.meridian.testsupport.EventProducer;
import io.meridian.testsupport.KafkaBroker;
import io.meridian.testsupport.KafkaTestResource;
import io.meridian.testsupport.PostgresTestResource;
import io.meridian.testsupport.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The identity service against the real broker and database, with Keycloak's admin API stubbed on the WireMock OIDC
 * server: grants, guard rails, approval, expiry, bundles per cluster, sync status, dead letters; and the escalation
 * paths, each tried with the weakest role that reaches it: self-approval, template edits under an approval, privileged
 * rules.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "schema", value = "identity"))
@WithTestResource(OidcWiremockTestResource.class)
class IdentityComponentTest {

    /** Prometheus metrics, on the management port (the API port does not serve them). */
    @TestHTTPResource(value = "metrics", management = true)
    URL managementMetrics;

    private static final String OPERATOR = Tokens.bearer("olga", Tokens.OPERATOR);
    private static final String ADMIN = Tokens.bearer("ada", Tokens.ADMIN);
    private static final String ADMIN2 = Tokens.bearer("adam", Tokens.ADMIN);
    private static final String VIEWER = Tokens.bearer("vera", Tokens.VIEWER);
    /** A fleet-admin whose token carries the groups claim, as Keycloak's clients map it: a member of platform only. */
    private static final String ADMIN_IN_PLATFORM =
            "Bearer " + Tokens.forUser("alan", Set.of(Tokens.ADMIN), List.of("platform"));

    private static final Duration EVENTUALLY = Duration.ofSeconds(30);
    private static final AtomicLong REVISIONS = new AtomicLong(1);

    private static CloudEventCollector desired;
    private static CloudEventCollector access;
    private static CloudEventCollector audit;
    private static CloudEventCollector deadLetters;
    private static EventProducer producer;

    @OidcWireMock
    WireMockServer keycloak;

    @Inject
    AdjustableClock clock;

    @Inject
    Pool database;

    @BeforeAll
    static void kafka() {
        String servers = KafkaBroker.shared().bootstrapServers();
        desired = CloudEventCollector.collect(servers, Topic.DESIRED_IDENTITY.topicName());
        access = CloudEventCollector.collect(servers, Topic.ACCESS.topicName());
        audit = CloudEventCollector.collect(servers, Topic.AUDIT_IDENTITY.topicName());
        deadLetters = CloudEventCollector.collect(servers, Topic.CLUSTERS.deadLetterTopicName());
        producer = new EventProducer(servers, "/meridian/inventory");
    }

    @AfterAll
    static void close() {
        desired.close();
        access.close();
        audit.close();
        deadLetters.close();
        producer.close();
    }

    @BeforeEach
    void keycloakAdminApi() {
        keycloak.stubFor(post(urlPathEqualTo("/auth/realms/meridian/protocol/openid-connect/token"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("client_credentials"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"admin-api-token\",\"expires_in\":300}")));
        // Keycloak's group search answers with the matching groups and their sub-groups.
        keycloak.stubFor(get(urlPathEqualTo("/auth/admin/realms/meridian/groups"))
                .withHeader("Authorization", equalTo("Bearer admin-api-token"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("[{\"name\":\"payments\",\"path\":\"/payments\",\"subGroups\":[]},"
                                + "{\"name\":\"platform\",\"path\":\"/platform\",\"subGroups\":"
                                + "[{\"name\":\"sre\",\"path\":\"/platform/sre\",\"subGroups\":[]}]}]")));
        keycloak.stubFor(get(urlPathEqualTo("/auth/admin/realms/meridian/users"))
                .withHeader("Authorization", equalTo("Bearer admin-api-token"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("[]")));
        keycloak.stubFor(get(urlPathEqualTo("/auth/admin/realms/meridian/users"))
                .withQueryParam("username", equalTo("alice"))
                .withHeader("Authorization", equalTo("Bearer admin-api-token"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("[{\"id\":\"1\",\"username\":\"alice\"}]")));
    }

    @Test
    void invalidGrantsAre400ProblemsNamingEveryField() {
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "subject", Map.of("kind", "team", "name", ""),
                        "role", "owner",
                        "scope", Map.of("cloud", "ibm"),
                        "namespaces", List.of("Not_A_Namespace"),
                        "expiresAt", "2001-01-01T00:00:00Z"))
                .post("/api/v1/grants")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body(
                        "errors.field",
                        hasItems(
                                "subject.kind",
                                "subject.name",
                                "role",
                                "scope.cloud",
                                "namespaces[0]",
                                "expiresAt",
                                "reason"));
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body("{\"subject\": {\"kind\": \"group\", \"name\": \"payments\"}, \"expiresAt\": 12}")
                .post("/api/v1/grants")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(grantBody("group", "system:masters", "view", Map.of("labels", Map.of("t", "x"))))
                .post("/api/v1/grants")
                .then()
                .statusCode(400)
                .body("errors[0].field", is("subject.name"));
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(grantBody("group", "ghosts", "view", Map.of("labels", Map.of("t", "x"))))
                .post("/api/v1/grants")
                .then()
                .statusCode(400)
                .body("errors[0].field", is("subject.name"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("Keycloak"));
        given().header("Authorization", VIEWER)
                .contentType(ContentType.JSON)
                .body(grantBody("group", "payments", "view", Map.of()))
                .post("/api/v1/grants")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body(grantBody("group", "payments", "view", Map.of()))
                .post("/api/v1/grants")
                .then()
                .statusCode(401);
        given().header("Authorization", VIEWER)
                .get("/api/v1/grants/g-does-not-exist")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().header("Authorization", VIEWER)
                .get("/api/v1/grants?limit=0&state=Sleeping")
                .then()
                .statusCode(400)
                .body("errors.field", hasItems("limit", "state"));
    }

    @Test
    void aGroupGrantBecomesRoleBindingsOnExactlyTheMatchingClustersAndRevocationRemovesThem() {
        cluster("conv-a", "staging", Map.of("suite", "conv"));
        cluster("conv-b", "staging", Map.of("suite", "conv"));
        cluster("conv-other", "staging", Map.of("suite", "elsewhere"));
        String id = create(
                        OPERATOR,
                        grantBody(
                                "group",
                                "payments",
                                "view",
                                Map.of("labels", Map.of("suite", "conv")),
                                List.of("payments", "checkout")))
                .then()
                .statusCode(201)
                .body("state", is("Active"))
                .body("subject.kubernetesName", is("oidc:payments"))
                .extract()
                .path("id");

        DesiredBundle a = awaitBundle("conv-a", b -> hasBinding(b, id));
        assertThat(a.owner()).isEqualTo("identity");
        assertThat(a.objects().stream()
                        .map(o -> String.valueOf(((Map<?, ?>) o.get("metadata")).get("namespace")))
                        .toList())
                .containsExactly("checkout", "payments");
        assertThat(a.objects().getFirst().get("subjects"))
                .isEqualTo(List.of(
                        Map.of("apiGroup", "rbac.authorization.k8s.io", "kind", "Group", "name", "oidc:payments")));
        awaitBundle("conv-b", b -> hasBinding(b, id));
        assertThat(latestBundle("conv-other")).isEmpty();

        AccessEvent requested = awaitAccess(EventType.GRANT_REQUESTED, id);
        assertThat(requested.subject().key()).isEqualTo("group/payments");
        assertThat(requested.clusterSelector()).containsEntry("suite", "conv");
        assertThat(requested.actor()).isEqualTo("olga");
        awaitAudit("grant.requested", id, "olga");

        // Inventory reports the bundle applied on one of the two clusters: the grant shows 1 of 2.
        report(a, List.of());
        Awaits.eventually(
                EVENTUALLY,
                () -> given().header("Authorization", VIEWER)
                        .get("/api/v1/grants/" + id)
                        .then()
                        .statusCode(200)
                        .body("status.clusters", is(2))
                        .body("status.appliedClusters", is(1))
                        .body("status.summary", is("applied on 1 of 2 clusters")));
        DesiredBundle b = latestBundle("conv-b").orElseThrow();
        String failed = "meridian-grant-" + id;
        report(
                b,
                List.of(new ObjectOutcome(
                        "rbac.authorization.k8s.io/v1",
                        "RoleBinding",
                        "payments",
                        failed,
                        ObjectOutcome.Outcome.Conflict,
                        "exists and is not managed by Meridian")));
        Awaits.eventually(
                EVENTUALLY,
                () -> given().header("Authorization", VIEWER)
                        .get("/api/v1/grants/" + id)
                        .then()
                        .body("status.appliedClusters", is(1))
                        .body("status.failures[0].cluster", is("conv-b"))
                        .body("status.failures[0].reason", org.hamcrest.Matchers.containsString("not managed")));
        report(b, List.of());
        awaitAccess(EventType.GRANT_APPLIED, id);

        given().header("Authorization", VIEWER)
                .get("/api/v1/grants?cluster=conv-a&state=Active")
                .then()
                .statusCode(200)
                .body("items.id", hasItems(id));

        given().header("Authorization", OPERATOR)
                .delete("/api/v1/grants/" + id)
                .then()
                .statusCode(204);
        awaitTombstone("conv-a");
        awaitTombstone("conv-b");
        awaitAccess(EventType.GRANT_REVOKED, id);
        awaitAudit("grant.revoked", id, "olga");
        given().header("Authorization", OPERATOR)
                .delete("/api/v1/grants/" + id)
                .then()
                .statusCode(204);
        given().header("Authorization", VIEWER)
                .get("/api/v1/grants/" + id)
                .then()
                .body("state", is("Revoked"))
                .body("endedBy", is("olga"));
    }

    @Test
    void powerfulRolesNeedAnAdminAndClusterAdminNeedsASecondAdmin() {
        cluster("guard-a", "dev", Map.of("suite", "guard"));
        Map<String, Object> scope = Map.of("labels", Map.of("suite", "guard"));
        create(OPERATOR, grantBody("group", "platform", "admin", scope)).then().statusCode(403);
        create(OPERATOR, grantBody("group", "platform", "cluster-admin", scope))
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        String id = create(ADMIN, grantBody("user", "alice", "cluster-admin", scope))
                .then()
                .statusCode(201)
                .body("state", is("Pending"))
                .body("approvalRequired", is(true))
                .extract()
                .path("id");
        given().header("Authorization", ADMIN)
                .post("/api/v1/grants/" + id + "/approve")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().header("Authorization", OPERATOR)
                .post("/api/v1/grants/" + id + "/approve")
                .then()
                .statusCode(403);
        assertThat(latestBundle("guard-a")).isEmpty();
        given().header("Authorization", ADMIN2)
                .post("/api/v1/grants/" + id + "/approve")
                .then()
                .statusCode(200)
                .body("state", is("Active"))
                .body("approvedBy", is("adam"));
        DesiredBundle bundle = awaitBundle("guard-a", b -> hasBinding(b, id));
        assertThat(bundle.objects().getFirst())
                .containsEntry("kind", "ClusterRoleBinding")
                .containsEntry(
                        "roleRef",
                        Map.of(
                                "apiGroup",
                                "rbac.authorization.k8s.io",
                                "kind",
                                "ClusterRole",
                                "name",
                                "cluster-admin"));
        awaitAccess(EventType.GRANT_APPROVED, id);
        awaitAudit("grant.approved", id, "adam");
        given().header("Authorization", ADMIN2)
                .post("/api/v1/grants/" + id + "/approve")
                .then()
                .statusCode(409)
                .contentType("application/problem+json");
        given().header("Authorization", ADMIN)
                .post("/api/v1/grants/nope/approve")
                .then()
                .statusCode(404);
    }

    @Test
    void aGrantsSubjectCannotApproveItNeitherAsTheUserNorAsAMemberOfTheGroup() {
        cluster("self-a", "dev", Map.of("suite", "self"));
        Map<String, Object> scope = Map.of("labels", Map.of("suite", "self"));
        keycloak.stubFor(get(urlPathEqualTo("/auth/admin/realms/meridian/users"))
                .withQueryParam("username", equalTo("adam"))
                .withHeader("Authorization", equalTo("Bearer admin-api-token"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("[{\"id\":\"2\",\"username\":\"adam\"}]")));
        // ada asks for cluster-admin for adam; adam, a fleet-admin himself, may not be the second pair of eyes.
        String forAdam = create(ADMIN, grantBody("user", "adam", "cluster-admin", scope))
                .then()
                .statusCode(201)
                .body("state", is("Pending"))
                .extract()
                .path("id");
        given().header("Authorization", ADMIN2)
                .post("/api/v1/grants/" + forAdam + "/approve")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("errors[0].field", is("subject.name"))
                .body("errors[0].message", containsString("this grant is for you"));
        given().header("Authorization", VIEWER)
                .get("/api/v1/grants/" + forAdam)
                .then()
                .body("state", is("Pending"))
                .body("approvedBy", nullValue());
        given().header("Authorization", ADMIN_IN_PLATFORM)
                .post("/api/v1/grants/" + forAdam + "/approve")
                .then()
                .statusCode(200)
                .body("approvedBy", is("alan"))
                .body("approvedDigest", notNullValue());
        awaitBundle("self-a", b -> hasBinding(b, forAdam));

        // A group grant: a member of the group may not approve it, nor may an admin whose token cannot say.
        String forPlatform = create(ADMIN, grantBody("group", "platform", "cluster-admin", scope))
                .then()
                .statusCode(201)
                .body("state", is("Pending"))
                .extract()
                .path("id");
        given().header("Authorization", ADMIN_IN_PLATFORM)
                .post("/api/v1/grants/" + forPlatform + "/approve")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("errors[0].field", is("subject.name"))
                .body("errors[0].message", containsString("you are a member"));
        given().header("Authorization", ADMIN2)
                .post("/api/v1/grants/" + forPlatform + "/approve")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("errors[0].field", is("subject.name"))
                .body("errors[0].message", containsString("groups claim"));
        given().header("Authorization", "Bearer " + Tokens.forUser("adam", Set.of(Tokens.ADMIN), List.of("payments")))
                .post("/api/v1/grants/" + forPlatform + "/approve")
                .then()
                .statusCode(200)
                .body("approvedBy", is("adam"));
        awaitBundle("self-a", b -> hasBinding(b, forPlatform));
    }

    @Test
    void everyEscalationPathMakesATemplatePrivilegedForAdminsOnlyAndItsGrantsWaitForASecondAdmin() {
        cluster("priv-a", "dev", Map.of("suite", "priv"));
        awaitKnown("priv-a");
        List<Map<String, Object>> escalations = List.of(
                rule("", "secrets", "get"),
                rule("", "secrets", "list"),
                rule("", "secrets", "watch"),
                rule("", "pods/exec", "create"),
                rule("", "pods/attach", "create"),
                rule("", "pods/portforward", "create"),
                rule("", "nodes/proxy", "get"),
                rule("", "serviceaccounts/token", "create"),
                rule("admissionregistration.k8s.io", "validatingwebhookconfigurations", "patch"),
                rule("admissionregistration.k8s.io", "mutatingwebhookconfigurations", "create"),
                rule("admissionregistration.k8s.io", "validatingadmissionpolicies", "update"),
                rule("admissionregistration.k8s.io", "validatingadmissionpolicybindings", "delete"),
                rule("certificates.k8s.io", "certificatesigningrequests/approval", "update"),
                rule("certificates.k8s.io", "signers", "approve"),
                rule("rbac.authorization.k8s.io", "clusterroles", "escalate"),
                rule("rbac.authorization.k8s.io", "rolebindings", "bind"),
                rule("", "serviceaccounts", "impersonate"),
                rule("apps", "*", "get"),
                rule("", "pods", "*"));
        for (int i = 0; i < escalations.size(); i++) {
            Map<String, Object> escalation = escalations.get(i);
            given().header("Authorization", OPERATOR)
                    .contentType(ContentType.JSON)
                    .body(Map.of("name", "esc-" + i, "rules", List.of(rule("", "pods", "get"), escalation)))
                    .post("/api/v1/role-templates")
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json")
                    .body("errors.field", contains("rules[1]"))
                    .body("errors[0].message", containsString("only a fleet-admin"));
        }
        // Nor may an operator turn a plain template of theirs into a privileged one.
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "pod-reader", "rules", List.of(rule("", "pods", "get"))))
                .post("/api/v1/role-templates")
                .then()
                .statusCode(201);
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("rules", List.of(rule("", "pods", "get"), rule("", "pods/exec", "create"))))
                .put("/api/v1/role-templates/pod-reader")
                .then()
                .statusCode(403)
                .body("errors.field", contains("rules[1]"));
        // A fleet-admin may define one; an operator may not grant it; an admin's grant waits for a second admin.
        given().header("Authorization", ADMIN)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "exec-debug", "rules", List.of(rule("", "pods/exec", "create"))))
                .post("/api/v1/role-templates")
                .then()
                .statusCode(201)
                .body("privileged", is(true))
                .body("risks", contains("ExecIntoPods"));
        Map<String, Object> scope = Map.of("labels", Map.of("suite", "priv"));
        create(OPERATOR, grantBody("user", "alice", "exec-debug", scope))
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("errors[0].field", is("role"));
        String id = create(ADMIN, grantBody("user", "alice", "exec-debug", scope))
                .then()
                .statusCode(201)
                .body("state", is("Pending"))
                .body("approvalRequired", is(true))
                .extract()
                .path("id");
        assertThat(latestBundle("priv-a").filter(b -> hasBinding(b, id))).isEmpty();
        given().header("Authorization", ADMIN2)
                .post("/api/v1/grants/" + id + "/approve")
                .then()
                .statusCode(200);
        awaitBundle("priv-a", b -> hasBinding(b, id));
    }

    @Test
    void changingARoleTemplateReopensTheApprovedGrantsThatUseIt() {
        cluster("reopen-prod", "prod", Map.of("suite", "reopen"));
        cluster("reopen-dev", "dev", Map.of("suite", "reopen"));
        awaitKnown("reopen-prod", "reopen-dev");
        List<Map<String, Object>> v1 = List.of(rule("apps", "deployments", "get"));
        List<Map<String, Object>> v2 = List.of(rule("apps", "deployments", "get"), rule("apps", "statefulsets", "get"));
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "workload-reader", "rules", v1))
                .post("/api/v1/role-templates")
                .then()
                .statusCode(201);
        String prod = create(
                        OPERATOR,
                        grantBody(
                                "group",
                                "payments",
                                "workload-reader",
                                Map.of("labels", Map.of("suite", "reopen"), "environment", "prod")))
                .then()
                .statusCode(201)
                .body("state", is("Pending"))
                .extract()
                .path("id");
        String dev = create(
                        OPERATOR,
                        grantBody(
                                "group",
                                "payments",
                                "workload-reader",
                                Map.of("labels", Map.of("suite", "reopen"), "environment", "dev")))
                .then()
                .statusCode(201)
                .body("state", is("Active"))
                .extract()
                .path("id");
        given().header("Authorization", ADMIN_IN_PLATFORM)
                .post("/api/v1/grants/" + prod + "/approve")
                .then()
                .statusCode(200);
        awaitBundle("reopen-prod", b -> hasBinding(b, prod));

        // The operator changes the rules the admin approved: the prod grant goes back to Pending and off the cluster.
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("rules", v2))
                .put("/api/v1/role-templates/workload-reader")
                .then()
                .statusCode(200);
        given().header("Authorization", VIEWER)
                .get("/api/v1/grants/" + prod)
                .then()
                .body("state", is("Pending"))
                .body("approvedBy", nullValue())
                .body("reopenedBy", is("olga"));
        awaitTombstone("reopen-prod");
        AccessEvent reopened = awaitAccess(
                EventType.GRANT_REQUESTED,
                prod,
                e -> e.reason() != null && e.reason().startsWith("re-opened"));
        assertThat(reopened.actor()).isEqualTo("olga");
        assertThat(reopened.reason()).contains("workload-reader");
        awaitAudit("grant.reopened", prod, "olga");
        // The dev grant never needed approval: it stays Active and its clusters get the new rules.
        awaitBundle(
                "reopen-dev",
                b -> hasBinding(b, dev) && b.objects().getFirst().toString().contains("statefulsets"));
        given().header("Authorization", VIEWER)
                .get("/api/v1/grants/" + dev)
                .then()
                .body("state", is("Active"));

        // A second look approves the new rules, and only then do they reach prod.
        given().header("Authorization", ADMIN_IN_PLATFORM)
                .post("/api/v1/grants/" + prod + "/approve")
                .then()
                .statusCode(200);
        awaitBundle(
                "reopen-prod",
                b -> hasBinding(b, prod) && b.objects().getFirst().toString().contains("statefulsets"));
        // The same rules again (a new description) re-open nothing.
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("description", "deployments and statefulsets", "rules", v2))
                .put("/api/v1/role-templates/workload-reader")
                .then()
                .statusCode(200);
        given().header("Authorization", VIEWER)
                .get("/api/v1/grants/" + prod)
                .then()
                .body("state", is("Active"));

        // An admin makes the template privileged: the dev grant now needs approval too, and not from that admin.
        given().header("Authorization", ADMIN)
                .contentType(ContentType.JSON)
                .body(Map.of("rules", List.of(rule("apps", "deployments", "get"), rule("", "pods/exec", "create"))))
                .put("/api/v1/role-templates/workload-reader")
                .then()
                .statusCode(200)
                .body("privileged", is(true));
        given().header("Authorization", VIEWER)
                .get("/api/v1/grants/" + dev)
                .then()
                .body("state", is("Pending"))
                .body("reopenedBy", is("ada"));
        awaitTombstone("reopen-dev");
        given().header("Authorization", ADMIN)
                .post("/api/v1/grants/" + dev + "/approve")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("errors[0].field", is("reopenedBy"));
    }

    @Test
    void anActiveGrantWhoseApprovalNoLongerHoldsIsReopenedOnItsOwn() {
        // A grant of admin made before admin needed a second fleet-admin, as an upgrade finds it.
        cluster("legacy-a", "dev", Map.of("suite", "legacy"));
        awaitKnown("legacy-a");
        String id = GrantLifecycle.newId(clock.instant());
        database.preparedQuery("INSERT INTO access_grant (id, subject_kind, subject_name, role, scope_labels,"
                        + " namespaces, reason, state, approval_required, created_by, created_at) VALUES ($1, 'GROUP',"
                        + " 'payments', 'admin', '{\"suite\": \"legacy\"}', '{\"items\": [\"web\"]}',"
                        + " 'made before the upgrade', 'Active', false, 'olga', now())")
                .execute(Tuple.of(id))
                .await()
                .atMost(EVENTUALLY);
        Awaits.eventually(
                EVENTUALLY,
                () -> given().header("Authorization", VIEWER)
                        .get("/api/v1/grants/" + id)
                        .then()
                        .body("state", is("Pending"))
                        .body("reopenedBy", is("identity")));
        AccessEvent reopened = awaitAccess(
                EventType.GRANT_REQUESTED,
                id,
                e -> e.reason() != null && e.reason().startsWith("re-opened"));
        assertThat(reopened.actor()).isEqualTo("identity");
        awaitAudit("grant.reopened", id, "identity");
        assertThat(latestBundle("legacy-a").filter(b -> hasBinding(b, id))).isEmpty();
    }

    @Test
    void prodClustersGetOnlyApprovedGrantsAndJoiningClustersFollow() {
        cluster("prodcase-prod-1", "prod", Map.of("suite", "prodcase"));
        cluster("prodcase-dev-1", "dev", Map.of("suite", "prodcase"));
        awaitKnown("prodcase-prod-1", "prodcase-dev-1");
        // The operator's grant matches a prod cluster: it waits for a fleet-admin.
        String pending = create(
                        OPERATOR, grantBody("group", "payments", "edit", Map.of("labels", Map.of("suite", "prodcase"))))
                .then()
                .statusCode(201)
                .body("state", is("Pending"))
                .extract()
                .path("id");
        // A grant scoped to dev only needs no approval; it never spills into prod.
        String dev = create(
                        OPERATOR,
                        grantBody(
                                "group",
                                "payments",
                                "view",
                                Map.of("labels", Map.of("suite", "prodcase"), "environment", "dev")))
                .then()
                .body("state", is("Active"))
                .extract()
                .path("id");
        awaitBundle("prodcase-dev-1", b -> hasBinding(b, dev));
        given().header("Authorization", ADMIN_IN_PLATFORM)
                .post("/api/v1/grants/" + pending + "/approve")
                .then()
                .statusCode(200);
        awaitBundle("prodcase-prod-1", b -> hasBinding(b, pending) && !hasBinding(b, dev));
        awaitBundle("prodcase-dev-1", b -> hasBinding(b, pending) && hasBinding(b, dev));

        // A new prod cluster that matches receives the approved grant.
        cluster("prodcase-prod-2", "prod", Map.of("suite", "prodcase"));
        DesiredBundle joined = awaitBundle("prodcase-prod-2", b -> hasBinding(b, pending));
        assertThat(joined.generation()).isEqualTo(1);
        // The same snapshot again (redelivery) declares nothing new.
        long before = bundlesFor("prodcase-prod-2");
        cluster("prodcase-prod-2", "prod", Map.of("suite", "prodcase"));
        // A label change takes the cluster out of scope: its bundle is withdrawn.
        cluster("prodcase-prod-2", "prod", Map.of("suite", "moved"));
        awaitTombstone("prodcase-prod-2");
        assertThat(bundlesFor("prodcase-prod-2")).isEqualTo(before + 1);
        // Back in scope: a higher generation than before.
        cluster("prodcase-prod-2", "prod", Map.of("suite", "prodcase"));
        assertThat(awaitBundle("prodcase-prod-2", b -> hasBinding(b, pending)).generation())
                .isEqualTo(2);
        // Deregistered (a Kafka tombstone on the compacted topic): the bundle is withdrawn again.
        producer.tombstone(Topic.CLUSTERS.topicName(), "prodcase-prod-2");
        Awaits.eventually(
                EVENTUALLY, () -> assertThat(bundlesFor("prodcase-prod-2")).isEqualTo(before + 3));
    }

    @Test
    void expiredGrantsAreRevokedEverywhereOnTheirOwn() {
        cluster("expiry-a", "dev", Map.of("suite", "expiry"));
        String id = create(
                        OPERATOR,
                        Map.of(
                                "subject", Map.of("kind", "group", "name", "/platform/sre"),
                                "role", "edit",
                                "scope", Map.of("labels", Map.of("suite", "expiry")),
                                "expiresAt",
                                        clock.instant()
                                                .plus(Duration.ofHours(1))
                                                .toString(),
                                "reason", "incident 4711"))
                .then()
                .statusCode(201)
                .body("state", is("Active"))
                .extract()
                .path("id");
        awaitBundle("expiry-a", b -> hasBinding(b, id));
        clock.advance(Duration.ofHours(2));
        awaitTombstone("expiry-a");
        AccessEvent expired = awaitAccess(EventType.GRANT_EXPIRED, id);
        assertThat(expired.actor()).isEqualTo("identity");
        awaitAudit("grant.expired", id, "identity");
        given().header("Authorization", VIEWER)
                .get("/api/v1/grants/" + id)
                .then()
                .body("state", is("Expired"));
    }

    @Test
    void roleTemplatesBecomeClusterRolesAndTheirGuardRailsHold() {
        cluster("tmpl-a", "dev", Map.of("suite", "tmpl"));
        Map<String, Object> rule = Map.of(
                "apiGroups", List.of(""), "resources", List.of("pods", "pods/log"), "verbs", List.of("get", "list"));
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "log-reader", "description", "logs", "rules", List.of(rule)))
                .post("/api/v1/role-templates")
                .then()
                .statusCode(201)
                .body("clusterRole", is("meridian-template-log-reader"))
                .body("privileged", is(false));
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "everything",
                        "rules",
                        List.of(Map.of("apiGroups", List.of("*"), "resources", List.of("*"), "verbs", List.of("*")))))
                .post("/api/v1/role-templates")
                .then()
                .statusCode(403);
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "Bad Name", "rules", List.of()))
                .post("/api/v1/role-templates")
                .then()
                .statusCode(400)
                .body("errors.field", hasItems("name", "rules"));
        String id = create(
                        OPERATOR, grantBody("user", "alice", "log-reader", Map.of("labels", Map.of("suite", "tmpl"))))
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        DesiredBundle bundle = awaitBundle("tmpl-a", b -> hasBinding(b, id));
        assertThat(bundle.objects().getFirst()).containsEntry("kind", "ClusterRole");
        given().header("Authorization", OPERATOR)
                .delete("/api/v1/role-templates/log-reader")
                .then()
                .statusCode(409);
        given().header("Authorization", VIEWER)
                .get("/api/v1/role-templates")
                .then()
                .statusCode(200)
                .body("name", hasItems("log-reader"));
        given().header("Authorization", OPERATOR)
                .delete("/api/v1/grants/" + id)
                .then()
                .statusCode(204);
        given().header("Authorization", OPERATOR)
                .delete("/api/v1/role-templates/log-reader")
                .then()
                .statusCode(204);
    }

    @Test
    void anUnreadableClusterRecordGoesToTheDeadLetterTopicAndTheConsumerGoesOn() {
        producer.sendRaw(Topic.CLUSTERS.topicName(), "dlq-a", "not a cloud event".getBytes(StandardCharsets.UTF_8));
        Received dead = deadLetters.awaitFirst(r -> "dlq-a".equals(r.key()), EVENTUALLY);
        assertThat(dead.header(DeadLetterHeaders.REASON)).isNotBlank();
        cluster("dlq-b", "dev", Map.of("suite", "dlq"));
        String id = create(OPERATOR, grantBody("group", "payments", "view", Map.of("labels", Map.of("suite", "dlq"))))
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        awaitBundle("dlq-b", b -> hasBinding(b, id));
    }

    @Test
    void aNewerClusterEventTypeIsSkippedNotDeadLetteredAndTheNextSnapshotIsRead() {
        String newer = "io.meridian.inventory.cluster.renamed.v9";
        // A type a newer inventory publishes, before the cluster's first snapshot this version knows.
        producer.send(Topic.CLUSTERS, newer, "newer-a", "newer-a", Map.of("clusterId", "newer-a", "to", "renamed"));
        cluster("newer-a", "dev", Map.of("suite", "newer"));
        awaitKnown("newer-a");

        // An unreadable record on the same key: its dead letter comes after any of the records before it.
        producer.sendRaw(Topic.CLUSTERS.topicName(), "newer-a", "not a cloud event".getBytes(StandardCharsets.UTF_8));
        deadLetters.awaitFirst(r -> "newer-a".equals(r.key()) && r.header("ce_type") == null, EVENTUALLY);
        assertThat(deadLetters.all()).noneMatch(r -> newer.equals(r.header("ce_type")));
        assertThat(given().get(managementMetrics)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .containsPattern("meridian_fleet_events_skipped_total\\{[^}]*topic=\"fleet\\.clusters\\.v1\",type=\""
                        + java.util.regex.Pattern.quote(newer) + "\"[^}]*\\} [1-9]");

        // Deregistered by a bare tombstone, so no other test meets it in the fleet.
        producer.tombstone(Topic.CLUSTERS.topicName(), "newer-a");
        Awaits.eventually(
                EVENTUALLY,
                () -> assertThat(given().header("Authorization", VIEWER)
                                .get("/api/v1/access/clusters")
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .getList("id", String.class))
                        .doesNotContain("newer-a"));
    }

    @Test
    void theAccessReviewShowsGrantsAndObservedBindingsAndFlagsRiskyUnmanagedOnes() {
        cluster("review-a", "dev", Map.of("suite", "review"));
        awaitKnown("review-a");
        String id = create(
                        OPERATOR,
                        grantBody(
                                "group",
                                "payments",
                                "edit",
                                Map.of("labels", Map.of("suite", "review")),
                                List.of("web")))
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        observe(
                "review-a",
                "ClusterRole",
                null,
                "secret-reader",
                Map.of(),
                null,
                List.of(),
                List.of(new PolicyRule(List.of(""), List.of("secrets"), List.of("get", "list"), null, null)));
        observe(
                "review-a",
                "ClusterRoleBinding",
                null,
                "payments-secrets",
                Map.of(),
                new RoleRef("ClusterRole", "secret-reader"),
                List.of(new Subject("Group", "oidc:payments", null)),
                List.of());
        observe(
                "review-a",
                "ClusterRoleBinding",
                null,
                "break-glass",
                Map.of(),
                new RoleRef("ClusterRole", "cluster-admin"),
                List.of(new Subject("User", "mallory", null)),
                List.of());
        observe(
                "review-a",
                "RoleBinding",
                "web",
                "meridian-grant-" + id,
                Map.of("app.kubernetes.io/managed-by", "meridian", "meridian.io/owner", "identity"),
                new RoleRef("ClusterRole", "edit"),
                List.of(new Subject("Group", "oidc:payments", null)),
                List.of());
        Awaits.eventually(
                EVENTUALLY,
                () -> given().header("Authorization", VIEWER)
                        .get("/api/v1/access/findings?cluster=review-a")
                        .then()
                        .statusCode(200)
                        .body("items.name", org.hamcrest.Matchers.contains("break-glass", "payments-secrets"))
                        .body("items[0].risks", org.hamcrest.Matchers.contains("ClusterAdmin"))
                        .body("items[1].risks", org.hamcrest.Matchers.contains("ReadsSecrets")));
        Awaits.eventually(
                EVENTUALLY,
                () -> given().header("Authorization", VIEWER)
                        .get("/api/v1/access?subject=group/payments&cluster=review-a&namespace=web")
                        .then()
                        .statusCode(200)
                        .body("items.source", org.hamcrest.Matchers.containsInAnyOrder("grant", "observed", "observed"))
                        .body(
                                "items.binding",
                                hasItems("meridian-grant-" + id, "ClusterRoleBinding/payments-secrets")));
        // The binding is deleted on the cluster (a tombstone on the compacted topic): no longer a finding.
        producer.tombstone(
                Topic.RESOURCES.topicName(),
                ObservedResource.key(
                        "review-a", "rbac.authorization.k8s.io", "ClusterRoleBinding", null, "break-glass"));
        Awaits.eventually(
                EVENTUALLY,
                () -> given().header("Authorization", VIEWER)
                        .get("/api/v1/access/findings?cluster=review-a")
                        .then()
                        .body("items.name", org.hamcrest.Matchers.contains("payments-secrets")));
    }

    @Test
    void aRelistThatCouldNotListAKindKeepsThatKindsBindingsAndAFullOneDropsThem() {
        cluster("resync-a", "dev", Map.of("suite", "resync"));
        awaitKnown("resync-a");
        observe(
                "resync-a",
                "ClusterRoleBinding",
                null,
                "stale-admin",
                Map.of(),
                new RoleRef("ClusterRole", "cluster-admin"),
                List.of(new Subject("User", "mallory", null)),
                List.of());
        Awaits.eventually(EVENTUALLY, () -> findings("resync-a").body("items.name", hasItems("stale-admin")));

        // Inventory could not list ClusterRoleBindings in relist 2 (RBAC denied it): the relist says nothing of them.
        resyncCompleted(
                "resync-a", 2, List.of(new ResyncMarker.GroupKind("rbac.authorization.k8s.io", "ClusterRoleBinding")));
        // The old code dropped it within a few hundred milliseconds of the marker; hold the check for 3 s.
        org.awaitility.Awaitility.await()
                .during(java.time.Duration.ofSeconds(3))
                .atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(() -> findings("resync-a").body("items.name", hasItems("stale-admin")));

        // Relist 3 listed every kind and did not see it: it is gone.
        resyncCompleted("resync-a", 3, List.of());
        Awaits.eventually(
                EVENTUALLY,
                () -> findings("resync-a").body("items.name", org.hamcrest.Matchers.not(hasItems("stale-admin"))));
    }

    private static io.restassured.response.ValidatableResponse findings(String cluster) {
        return given().header("Authorization", VIEWER)
                .get("/api/v1/access/findings?cluster=" + cluster)
                .then()
                .statusCode(200);
    }

    private static void resyncCompleted(String cluster, long epoch, List<ResyncMarker.GroupKind> notResynced) {
        ResyncMarker marker =
                new ResyncMarker(cluster, epoch, ResyncMarker.Phase.Completed, 0, Instant.now(), notResynced);
        producer.send(EventType.RESOURCE_RESYNC_COMPLETED, marker.key(), cluster, marker);
    }

    // --- helpers ---------------------------------------------------------------------------------------

    private static Map<String, Object> grantBody(String kind, String name, String role, Map<String, Object> scope) {
        return grantBody(kind, name, role, scope, List.of());
    }

    private static Map<String, Object> grantBody(
            String kind, String name, String role, Map<String, Object> scope, List<String> namespaces) {
        return Map.of(
                "subject", Map.of("kind", kind, "name", name),
                "role", role,
                "scope", scope,
                "namespaces", namespaces,
                "reason", "component test");
    }

    private static io.restassured.response.Response create(String token, Map<String, Object> body) {
        return given().header("Authorization", token)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/grants");
    }

    private static void observe(
            String cluster,
            String kind,
            String namespace,
            String name,
            Map<String, String> labels,
            RoleRef roleRef,
            List<Subject> subjects,
            List<PolicyRule> rules) {
        ObservedResource resource = new ObservedResource(
                cluster,
                "rbac.authorization.k8s.io",
                "rbac.authorization.k8s.io/v1",
                kind,
                namespace,
                name,
                "uid-" + name,
                "1",
                labels,
                Map.of(),
                null,
                null,
                List.of(),
                new Rbac(roleRef, subjects, rules),
                null,
                null,
                Instant.now(),
                1);
        producer.send(EventType.RESOURCE_OBSERVED, resource.key(), cluster, resource);
    }

    private static void cluster(String id, String environment, Map<String, String> labels) {
        ClusterSnapshot snapshot = new ClusterSnapshot(
                id,
                id,
                null,
                Cloud.AWS,
                "us-east-1",
                environment,
                labels,
                "https://" + id + ".example",
                null,
                ClusterPhase.Ready,
                List.of(),
                "v1.31.0",
                3,
                6000,
                1L << 34,
                Cloud.AWS,
                "us-east-1",
                List.of(),
                REVISIONS.incrementAndGet(),
                Instant.now());
        producer.send(EventType.CLUSTER_UPDATED, id, id, snapshot);
    }

    /** Waits until identity has read the clusters' snapshots (the guard rails judge against the fleet it knows). */
    private static void awaitKnown(String... clusters) {
        Awaits.eventually(
                EVENTUALLY,
                () -> assertThat(given().header("Authorization", VIEWER)
                                .get("/api/v1/access/clusters")
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .getList("id", String.class))
                        .contains(clusters));
    }

    private static void report(DesiredBundle bundle, List<ObjectOutcome> failures) {
        SyncReport report = new SyncReport(
                "identity",
                bundle.clusterId(),
                bundle.generation(),
                failures.isEmpty() ? bundle.generation() : bundle.generation() - 1,
                failures,
                12,
                Instant.now());
        producer.send(EventType.SYNC_REPORTED, report.key(), bundle.clusterId(), report);
    }

    private static boolean hasBinding(DesiredBundle bundle, String grantId) {
        return bundle.objects().stream()
                .anyMatch(o -> ("meridian-grant-" + grantId).equals(((Map<?, ?>) o.get("metadata")).get("name")));
    }

    private static List<Received> records(String cluster) {
        return desired.all().stream()
                .filter(r -> ("identity/" + cluster).equals(r.key()))
                .toList();
    }

    private static long bundlesFor(String cluster) {
        return records(cluster).size();
    }

    private static Optional<DesiredBundle> latestBundle(String cluster) {
        List<Received> all = records(cluster);
        if (all.isEmpty() || all.getLast().isTombstone()) {
            return Optional.empty();
        }
        return Optional.of(EventJson.read(all.getLast().value(), DesiredBundle.class));
    }

    private static DesiredBundle awaitBundle(String cluster, java.util.function.Predicate<DesiredBundle> match) {
        return org.awaitility.Awaitility.await()
                .atMost(EVENTUALLY)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> latestBundle(cluster).filter(match), Optional::isPresent)
                .orElseThrow();
    }

    private static void awaitTombstone(String cluster) {
        Awaits.eventually(EVENTUALLY, () -> {
            List<Received> all = records(cluster);
            assertThat(all).isNotEmpty();
            assertThat(all.getLast().isTombstone()).isTrue();
            assertThat(all.getLast().event().type()).isEqualTo(EventType.DESIRED_BUNDLE_DECLARED.type());
        });
    }

    private static AccessEvent awaitAccess(EventType type, String grantId) {
        return awaitAccess(type, grantId, e -> true);
    }

    private static AccessEvent awaitAccess(
            EventType type, String grantId, java.util.function.Predicate<AccessEvent> match) {
        Received r = access.awaitFirst(
                x -> {
                    if (x.event() == null || !type.type().equals(x.event().type())) {
                        return false;
                    }
                    AccessEvent event = EventJson.read(x.value(), AccessEvent.class);
                    return grantId.equals(event.grantId()) && match.test(event);
                },
                EVENTUALLY);
        return EventJson.read(r.value(), AccessEvent.class);
    }

    private static Map<String, Object> rule(String apiGroup, String resource, String verb) {
        return Map.of("apiGroups", List.of(apiGroup), "resources", List.of(resource), "verbs", List.of(verb));
    }

    private static void awaitAudit(String action, String grantId, String actor) {
        audit.awaitFirst(
                x -> {
                    if (x.value() == null) {
                        return false;
                    }
                    AuditRecord record = EventJson.read(x.value(), AuditRecord.class);
                    return action.equals(record.action())
                            && grantId.equals(record.target().name())
                            && actor.equals(record.actor().name());
                },
                EVENTUALLY);
    }
}
