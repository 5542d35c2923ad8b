package io.meridian.policy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.contracts.cluster.Cloud;
import io.meridian.contracts.cluster.ClusterPhase;
import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.compliance.ComplianceResult;
import io.meridian.contracts.desired.DesiredBundle;
import io.meridian.contracts.resource.ObservedResource;
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
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The policy service against the real broker and database: policies through the API, continuous audit of
 * observed objects, violation events, enforcement bundles, waivers, the compliance API and dead letters.
 * Each test scopes its policies to its own cluster label, so tests do not see each other's violations.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "schema", value = "policy"))
@WithTestResource(OidcWiremockTestResource.class)
class PolicyComponentTest {

    /** Prometheus metrics, on the management port (the API port does not serve them). */
    @TestHTTPResource(value = "metrics", management = true)
    URL managementMetrics;

    private static final String OPERATOR = Tokens.bearer("olga", Tokens.OPERATOR);
    private static final String VIEWER = Tokens.bearer("vera", Tokens.VIEWER);
    private static final String ADMIN = Tokens.bearer("ada", Tokens.ADMIN);
    private static final Duration EVENTUALLY = Duration.ofSeconds(30);

    private static CloudEventCollector compliance;
    private static CloudEventCollector desired;
    private static CloudEventCollector audit;
    private static CloudEventCollector deadLetters;
    private static CloudEventCollector clusterDeadLetters;
    private static EventProducer producer;

    @BeforeAll
    static void kafka() {
        String servers = KafkaBroker.shared().bootstrapServers();
        compliance = CloudEventCollector.collect(servers, Topic.COMPLIANCE.topicName());
        desired = CloudEventCollector.collect(servers, Topic.DESIRED_POLICY.topicName());
        audit = CloudEventCollector.collect(servers, Topic.AUDIT_POLICY.topicName());
        deadLetters = CloudEventCollector.collect(servers, Topic.RESOURCES.deadLetterTopicName());
        clusterDeadLetters = CloudEventCollector.collect(servers, Topic.CLUSTERS.deadLetterTopicName());
        producer = new EventProducer(servers, "/meridian/inventory");
    }

    @AfterAll
    static void close() {
        compliance.close();
        desired.close();
        audit.close();
        deadLetters.close();
        clusterDeadLetters.close();
        producer.close();
    }

    @Test
    void celErrorsAnswer400NamingTheFieldAndPosition() {
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(policyJson("broken", "audit", "scope-broken", "object.spec.containers.all(c, c.image ==)"))
                .post("/api/v1/policies")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("spec.validations[0].expression"))
                .body("errors[0].message", containsString("line 1, column"));
        // Regular expressions are RE2, as in Kubernetes: a backreference is refused when the policy is created.
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(policyJson("backreference", "audit", "scope-broken", "object.metadata.name.matches('(a)\\\\1')"))
                .post("/api/v1/policies")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("spec.validations[0].expression"))
                .body("errors[0].message", containsString("invalid regular expression"));
        // An expression that could never finish within its cost budget is refused too.
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(policyJson(
                        "too-expensive",
                        "audit",
                        "scope-broken",
                        "object.spec.containers.all(a, object.spec.containers.all(b,"
                                + " object.spec.containers.all(c, a.name != b.name || b.name != c.name)))"))
                .post("/api/v1/policies")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("spec.validations[0].expression"))
                .body("errors[0].message", containsString("estimated evaluation cost"));
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(policyJson("Bad_Name", "audit", "scope-broken", "true"))
                .post("/api/v1/policies")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("name"));
        given().header("Authorization", VIEWER)
                .contentType(ContentType.JSON)
                .body(policyJson("viewer-cannot", "audit", "scope-broken", "true"))
                .post("/api/v1/policies")
                .then()
                .statusCode(403);
        given().header("Authorization", VIEWER)
                .get("/api/v1/policies/does-not-exist")
                .then()
                .statusCode(404);
    }

    @Test
    void privilegedPodOpensAViolationThatClosesWhenFixedOrDeleted() {
        String cluster = "audit-1";
        registerCluster(cluster, "scope-audit");
        createPolicy("no-privileged-audit", "audit", "scope-audit", PRIVILEGED_RULE);
        audit.awaitFirst(
                r -> r.value() != null && utf8(r).contains("policy.created") && utf8(r).contains("no-privileged-audit"),
                EVENTUALLY);

        observe(pod(cluster, "team-a", "web", true));
        ComplianceResult opened = awaitResult(EventType.VIOLATION_OPENED, cluster, "web");
        assertThat(opened.policy()).isEqualTo("no-privileged-audit");
        assertThat(opened.message()).isEqualTo("privileged containers are not allowed");
        assertThat(opened.severity()).isEqualTo(ComplianceResult.Severity.HIGH);
        assertThat(opened.categories()).containsExactly("security");

        // The same observation again (at-least-once) publishes nothing new.
        observe(pod(cluster, "team-a", "web", true));
        observe(pod(cluster, "team-a", "db", false));
        observe(pod(cluster, "team-a", "web", false));
        awaitResult(EventType.VIOLATION_CLOSED, cluster, "web");
        assertThat(results(EventType.VIOLATION_OPENED, cluster, "web")).hasSize(1);
        assertThat(results(EventType.VIOLATION_OPENED, cluster, "db")).isEmpty();

        observe(pod(cluster, "team-a", "batch", true));
        awaitResult(EventType.VIOLATION_OPENED, cluster, "batch");
        given().header("Authorization", VIEWER)
                .queryParam("cluster", cluster)
                .get("/api/v1/compliance/violations")
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("items[0].object.name", equalTo("batch"));
        given().header("Authorization", VIEWER)
                .get("/api/v1/compliance/clusters/" + cluster + "/report")
                .then()
                .statusCode(200)
                .body("apiVersion", equalTo("wgpolicyk8s.io/v1alpha2"))
                .body("summary.fail", equalTo(1))
                .body("summary.pass", equalTo(2))
                .body("results[0].policy", equalTo("no-privileged-audit"))
                .body("results[0].resources[0].name", equalTo("batch"));
        given().header("Authorization", VIEWER)
                .queryParam("by", "severity")
                .get("/api/v1/compliance/summary")
                .then()
                .statusCode(200)
                .body("counts.high", org.hamcrest.Matchers.greaterThanOrEqualTo(1));

        producer.tombstone(
                Topic.RESOURCES.topicName(),
                pod(cluster, "team-a", "batch", true).key());
        awaitResult(EventType.VIOLATION_CLOSED, cluster, "batch");
        given().header("Authorization", VIEWER)
                .queryParam("cluster", cluster)
                .get("/api/v1/compliance/violations")
                .then()
                .body("total", equalTo(0));
    }

    @Test
    void aPolicyChangeReauditsTheFleetAndADeletionClosesItsViolations() {
        String cluster = "reaudit-1";
        registerCluster(cluster, "scope-reaudit");
        observe(pod(cluster, "shop", "cart", false));
        observe(pod(cluster, "shop", "api", true));
        createPolicy(
                "labels-required",
                "audit",
                "scope-reaudit",
                "has(object.metadata.labels) && 'team' in" + " object.metadata.labels");
        awaitResult(EventType.VIOLATION_OPENED, cluster, "cart");
        awaitResult(EventType.VIOLATION_OPENED, cluster, "api");

        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(policyJson("labels-required", "audit", "scope-reaudit", "true"))
                .put("/api/v1/policies/labels-required")
                .then()
                .statusCode(200)
                .body("generation", org.hamcrest.Matchers.greaterThan(1));
        awaitResult(EventType.VIOLATION_CLOSED, cluster, "cart");
        awaitResult(EventType.VIOLATION_CLOSED, cluster, "api");

        createPolicy("no-privileged-reaudit", "audit", "scope-reaudit", PRIVILEGED_RULE);
        awaitResult(EventType.VIOLATION_OPENED, cluster, "api");
        given().header("Authorization", OPERATOR)
                .delete("/api/v1/policies/no-privileged-reaudit")
                .then()
                .statusCode(204);
        Awaits.eventually(
                EVENTUALLY,
                () -> assertThat(results(EventType.VIOLATION_CLOSED, cluster, "api"))
                        .anyMatch(r -> r.policy().equals("no-privileged-reaudit")));
    }

    @Test
    void denyPoliciesReachMatchingClustersAsAdmissionPolicies() {
        registerCluster("enforce-prod", "scope-enforce");
        registerCluster("enforce-other", "scope-elsewhere");
        createPolicy("no-privileged-deny", "deny", "scope-enforce", PRIVILEGED_RULE);
        DesiredBundle bundle = awaitBundle("enforce-prod", b -> !b.objects().isEmpty());
        assertThat(bundle.owner()).isEqualTo("policy");
        assertThat(bundle.objects())
                .extracting(o -> o.get("kind"))
                .containsExactly("ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding");
        @SuppressWarnings("unchecked")
        Map<String, Object> bindingSpec =
                (Map<String, Object>) bundle.objects().get(1).get("spec");
        assertThat(bindingSpec)
                .containsEntry("validationActions", List.of("Deny"))
                .containsEntry("policyName", "meridian-no-privileged-deny");
        assertThat(desiredFor("enforce-other")).allMatch(b -> b.objects().isEmpty());

        // Remediation: an "ensure" policy puts a default-deny NetworkPolicy in every team namespace.
        observe(namespace("enforce-prod", "team-a", Map.of("meridian.io/team", "a")));
        observe(namespace("enforce-prod", "kube-system", Map.of()));
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body("""
                        {"name": "default-deny-network", "severity": "medium", "action": "audit",
                         "categories": ["security"],
                         "fleetScope": {"clusterSelector": {"matchLabels": {"test": "scope-enforce"}}},
                         "spec": {"matchConstraints": {"resourceRules": [{"apiGroups": [""], "apiVersions": ["v1"],
                                  "resources": ["namespaces"], "operations": ["CREATE", "UPDATE"]}]}},
                         "ensure": {"namespaceSelector": {"matchExpressions": [{"key": "meridian.io/team",
                                    "operator": "Exists"}]},
                                    "objects": [{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                                                 "metadata": {"name": "default-deny"},
                                                 "spec": {"podSelector": {}, "policyTypes": ["Ingress"]}}]}}
                        """)
                .post("/api/v1/policies")
                .then()
                .statusCode(201);
        DesiredBundle withRemediation =
                awaitBundle("enforce-prod", b -> b.objects().size() == 3);
        assertThat(withRemediation.generation()).isGreaterThan(bundle.generation());
        @SuppressWarnings("unchecked")
        Map<String, Object> meta =
                (Map<String, Object>) withRemediation.objects().get(0).get("metadata");
        assertThat(withRemediation.objects().get(0)).containsEntry("kind", "NetworkPolicy");
        assertThat(meta).containsEntry("namespace", "team-a");
    }

    @jakarta.inject.Inject
    io.meridian.policy.persistence.ViolationStore violationStore;

    @Test
    void writesFromAnotherReplicasOlderViewArePutRightByTheNextCheckOfTheTable() {
        String cluster = "replicas-1";
        registerCluster(cluster, "scope-replicas");
        createPolicy("no-privileged-replicas", "audit", "scope-replicas", PRIVILEGED_RULE);
        observe(pod(cluster, "team-r", "web", true));
        observe(pod(cluster, "team-r", "db", false));
        ComplianceResult web = awaitResult(EventType.VIOLATION_OPENED, cluster, "web");
        ComplianceResult db = new ComplianceResult(
                web.policy(),
                web.policyGeneration(),
                cluster,
                new io.meridian.contracts.ObjectRef("", "v1", "Pod", "team-r", "db"),
                ComplianceResult.State.Open,
                web.severity(),
                web.categories(),
                web.action(),
                web.message(),
                web.evaluatedAt());

        // What a replica that is behind writes, through the same store, after this one's writes: web closed (it
        // has not seen the pod yet) and db opened (it still sees an older, privileged db).
        io.meridian.eventing.Await.on(() -> violationStore.record(List.of(
                new io.meridian.policy.domain.FleetCompliance.Closed(web),
                new io.meridian.policy.domain.FleetCompliance.Opened(db))));
        Awaits.eventually(
                EVENTUALLY,
                () -> given().header("Authorization", VIEWER)
                        .queryParam("cluster", cluster)
                        .get("/api/v1/compliance/violations")
                        .then()
                        .body("items.object.name", org.hamcrest.Matchers.contains("web")));
        // The events are relayed from the outbox after the table changed.
        Awaits.eventually(EVENTUALLY, () -> {
            assertThat(results(EventType.VIOLATION_OPENED, cluster, "web"))
                    .as("opened, closed by the other replica, opened again")
                    .hasSize(2);
            assertThat(results(EventType.VIOLATION_CLOSED, cluster, "db")).hasSize(1);
        });
    }

    @Test
    void aWaiverSilencesExactlyWhatItNamesUntilItExpires() {
        String cluster = "waiver-1";
        registerCluster(cluster, "scope-waiver");
        createPolicy("no-privileged-waiver", "audit", "scope-waiver", PRIVILEGED_RULE);
        observe(pod(cluster, "ops", "debugger", true));
        observe(pod(cluster, "ops", "sniffer", true));
        awaitResult(EventType.VIOLATION_OPENED, cluster, "debugger");
        awaitResult(EventType.VIOLATION_OPENED, cluster, "sniffer");

        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("policy", "no-privileged-waiver", "clusterId", cluster))
                .post("/api/v1/waivers")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("reason"))
                .body("errors.field", hasItem("expiresAt"));

        Instant expiry = Instant.now().plusSeconds(6);
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "policy", "no-privileged-waiver",
                        "clusterId", cluster,
                        "namespace", "ops",
                        "kind", "Pod",
                        "name", "debugger",
                        "reason", "incident 42 debugging",
                        "expiresAt", expiry.toString()))
                .post("/api/v1/waivers")
                .then()
                .statusCode(201)
                .body("createdBy", equalTo("olga"));
        awaitResult(EventType.VIOLATION_CLOSED, cluster, "debugger");
        assertThat(results(EventType.VIOLATION_CLOSED, cluster, "sniffer")).isEmpty();
        audit.awaitFirst(r -> r.value() != null && utf8(r).contains("waiver.created"), EVENTUALLY);

        // Past the expiry the waiver stops applying by itself and the violation is reported again.
        Awaits.eventually(
                EVENTUALLY,
                () -> assertThat(results(EventType.VIOLATION_OPENED, cluster, "debugger"))
                        .hasSize(2));
    }

    @Test
    void importsAValidatingAdmissionPolicyFromYaml() {
        String yaml = """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata:
                  name: replicas-limit
                  annotations:
                    meridian.io/severity: low
                    meridian.io/categories: reliability
                    meridian.io/cluster-selector: test=scope-import
                spec:
                  matchConstraints:
                    resourceRules:
                    - apiGroups: ["apps"]
                      apiVersions: ["v1"]
                      operations: ["CREATE", "UPDATE"]
                      resources: ["deployments"]
                  validations:
                  - expression: "object.spec.replicas <= 5"
                    messageExpression: "'replicas must be at most 5, not ' + string(object.spec.replicas)"
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata:
                  name: replicas-limit
                spec:
                  policyName: replicas-limit
                  validationActions: [Warn]
                """;
        given().header("Authorization", OPERATOR)
                .contentType("application/yaml")
                .body(yaml.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/policies/import")
                .then()
                .statusCode(201)
                .body("policy.action", equalTo("warn"))
                .body("policy.severity", equalTo("low"))
                .body("policy.fleetScope.clusterSelector.matchLabels.test", equalTo("scope-import"));
        given().header("Authorization", OPERATOR)
                .contentType("application/yaml")
                .body(yaml.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/policies/import")
                .then()
                .statusCode(409);
        given().header("Authorization", OPERATOR)
                .contentType("application/yaml")
                .body(yaml.replace("object.spec.replicas <= 5", "object.spec.replicas <=")
                        .getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/policies/import")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("spec.validations[0].expression"));

        registerCluster("import-1", "scope-import");
        observe(deployment("import-1", "shop", "api", 9));
        ComplianceResult opened = awaitResult(EventType.VIOLATION_OPENED, "import-1", "api");
        assertThat(opened.message()).isEqualTo("replicas must be at most 5, not 9");
        assertThat(opened.action()).isEqualTo(ComplianceResult.Action.WARN);
    }

    @Test
    void rbacSecretsTokensAndAdmissionObjectsAreNeverEnsureObjectsNotEvenForAFleetAdmin() {
        registerCluster("guard-rbac", "scope-guard-rbac");
        observe(namespace("guard-rbac", "team-a", Map.of("meridian.io/team", "a")));
        // The confirmed exploit: an operator's policy that binds cluster-admin in every namespace of the fleet.
        String clusterAdminBinding = """
                {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                 "metadata": {"name": "platform-admins"},
                 "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"},
                 "subjects": [{"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": "oidc:olga"}]}""";
        for (String caller : List.of(OPERATOR, ADMIN)) {
            given().header("Authorization", caller)
                    .contentType(ContentType.JSON)
                    .body(ensurePolicyJson("grab-cluster-admin", "scope-guard-rbac", clusterAdminBinding))
                    .post("/api/v1/policies")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors.field", hasItem("ensure.objects[0].kind"))
                    .body(
                            "errors.find { it.field == 'ensure.objects[0].kind' }.message",
                            containsString("/api/v1/grants"));
        }
        // Whatever the RBAC, admission or credential object is called, and whatever group it claims.
        String objects = String.join(
                ",",
                ensureObject("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "b1"),
                ensureObject("rbac.authorization.k8s.io/v1", "Role", "b2"),
                ensureObject("example.com/v1", "ClusterRole", "b3"),
                ensureObject("v1", "Secret", "b4"),
                ensureObject("authentication.k8s.io/v1", "TokenRequest", "b5"),
                ensureObject("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", "b6"),
                ensureObject("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy", "b7"),
                ensureObject("rbac.authorization.k8s.io/v1", "rolebinding", "b8"));
        given().header("Authorization", ADMIN)
                .contentType(ContentType.JSON)
                .body(ensurePolicyJson("grab-everything", "scope-guard-rbac", objects))
                .post("/api/v1/policies")
                .then()
                .statusCode(400)
                .body(
                        "errors.field",
                        org.hamcrest.Matchers.hasItems(
                                "ensure.objects[0].kind",
                                "ensure.objects[1].kind",
                                "ensure.objects[2].kind",
                                "ensure.objects[3].kind",
                                "ensure.objects[4].kind",
                                "ensure.objects[5].kind",
                                "ensure.objects[6].kind",
                                "ensure.objects[7].kind"));
        given().header("Authorization", VIEWER)
                .get("/api/v1/policies/grab-cluster-admin")
                .then()
                .statusCode(404);

        // A policy the operator may write still reaches the cluster, and nothing RBAC ever went there.
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(ensurePolicyJson(
                        "guard-rbac-netpol",
                        "scope-guard-rbac",
                        ensureObject("networking.k8s.io/v1", "NetworkPolicy", "default-deny")))
                .post("/api/v1/policies")
                .then()
                .statusCode(201);
        awaitBundle("guard-rbac", b -> !b.objects().isEmpty());
        assertThat(desiredFor("guard-rbac"))
                .flatExtracting(DesiredBundle::objects)
                .extracting(o -> o.get("kind"))
                .containsOnly("NetworkPolicy");
    }

    @Test
    void ensureKindsBeyondTheOperatorAllowListNeedAFleetAdminAndAreAuditedAsPrivileged() {
        String sidecar = ensureObject("apps/v1", "Deployment", "log-shipper");
        String allowed = ensureObject("v1", "LimitRange", "defaults");
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(ensurePolicyJson("ship-logs", "scope-guard-admin", allowed + "," + sidecar))
                .post("/api/v1/policies")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("fleet-admin"))
                .body("errors.field", org.hamcrest.Matchers.contains("ensure.objects[1].kind"));
        // The allow-list is by API group and kind: a look-alike kind of another group is not a NetworkPolicy.
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(ensurePolicyJson(
                        "look-alike",
                        "scope-guard-admin",
                        ensureObject("crd.projectcalico.org/v1", "NetworkPolicy", "allow-all")))
                .post("/api/v1/policies")
                .then()
                .statusCode(403)
                .body("errors.field", hasItem("ensure.objects[0].kind"));
        given().header("Authorization", VIEWER)
                .get("/api/v1/policies/ship-logs")
                .then()
                .statusCode(404);

        given().header("Authorization", ADMIN)
                .contentType(ContentType.JSON)
                .body(ensurePolicyJson("ship-logs", "scope-guard-admin", allowed + "," + sidecar))
                .post("/api/v1/policies")
                .then()
                .statusCode(201);
        Received created = audit.awaitFirst(
                r -> r.value() != null && utf8(r).contains("policy.created") && utf8(r).contains("ship-logs"),
                EVENTUALLY);
        AuditRecord record = EventJson.read(created.value(), AuditRecord.class);
        assertThat(record.actor().name()).isEqualTo("ada");
        assertThat(record.details())
                .containsEntry("privileged", "true")
                .containsEntry("privilegedKinds", "apps/v1 Deployment");

        // An operator cannot change where the admin's privileged objects go, nor keep them under another scope.
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(ensurePolicyJson("ship-logs", "scope-elsewhere", allowed + "," + sidecar))
                .put("/api/v1/policies/ship-logs")
                .then()
                .statusCode(403)
                .body("errors.field", hasItem("ensure.objects[1].kind"));
    }

    @Test
    void anUpdateCannotSmuggleInWhatACreateMayNot() {
        int generation = given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(ensurePolicyJson(
                        "quota-then-rbac", "scope-guard-put", ensureObject("v1", "ResourceQuota", "team-quota")))
                .post("/api/v1/policies")
                .then()
                .statusCode(201)
                .extract()
                .path("generation");
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(ensurePolicyJson(
                        "quota-then-rbac",
                        "scope-guard-put",
                        ensureObject("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "everyone-admin")))
                .put("/api/v1/policies/quota-then-rbac")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("ensure.objects[0].kind"));
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(ensurePolicyJson(
                        "quota-then-rbac", "scope-guard-put", ensureObject("v1", "ServiceAccount", "robot")))
                .put("/api/v1/policies/quota-then-rbac")
                .then()
                .statusCode(403)
                .body("errors.field", hasItem("ensure.objects[0].kind"));
        given().header("Authorization", VIEWER)
                .get("/api/v1/policies/quota-then-rbac")
                .then()
                .statusCode(200)
                .body("generation", equalTo(generation))
                .body("policy.ensure.objects[0].kind", equalTo("ResourceQuota"));
    }

    @Test
    void ensureObjectsNeverLandInTheClustersSystemNamespaces() {
        String cluster = "guard-system";
        registerCluster(cluster, "scope-guard-system");
        observe(namespace(cluster, "kube-system", Map.of()));
        observe(namespace(cluster, "kube-public", Map.of()));
        observe(namespace(cluster, "kube-node-lease", Map.of()));
        observe(namespace(cluster, "shop", Map.of()));
        // On EKS a ConfigMap named aws-auth in kube-system maps IAM roles to Kubernetes groups, system:masters too.
        String awsAuth = """
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "aws-auth"},
                 "data": {"mapRoles": "- rolearn: arn:aws:iam::1:role/olga groups: [system:masters]"}}""";
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(ensurePolicyJson("everywhere-config", "scope-guard-system", awsAuth))
                .post("/api/v1/policies")
                .then()
                .statusCode(201);
        // Namespaces of one cluster arrive in order: once "shop" has its object, the system ones were known.
        DesiredBundle bundle = awaitBundle(
                cluster,
                b -> b.objects().stream()
                        .anyMatch(o -> "shop".equals(((Map<?, ?>) o.get("metadata")).get("namespace"))));
        assertThat(bundle.objects())
                .extracting(o -> (Object) ((Map<?, ?>) o.get("metadata")).get("namespace"))
                .containsExactly("shop");
    }

    @Test
    void unreadableResourcesGoToTheDeadLetterTopicAndTheConsumerGoesOn() {
        producer.sendRaw(
                Topic.RESOURCES.topicName(), "dlq-1//Pod/x/broken", "{not json".getBytes(StandardCharsets.UTF_8));
        Received dead = deadLetters.awaitFirst(r -> "dlq-1//Pod/x/broken".equals(r.key()), EVENTUALLY);
        assertThat(dead.header("dead-letter-reason")).isNotBlank();

        registerCluster("dlq-1", "scope-dlq");
        createPolicy("no-privileged-dlq", "audit", "scope-dlq", PRIVILEGED_RULE);
        observe(pod("dlq-1", "x", "after", true));
        awaitResult(EventType.VIOLATION_OPENED, "dlq-1", "after");
    }

    @Test
    void aNewerProducersEventTypesAreSkippedNotDeadLetteredAndWhatFollowsIsRead() {
        String cluster = "newer-1";
        String clusterType = "io.meridian.inventory.cluster.renamed.v9";
        String resourceType = "io.meridian.inventory.resource.patched.v2";
        ObservedResource pod = pod(cluster, "x", "after", true);
        // Types a newer inventory publishes, each before the first record of its key this version knows.
        producer.send(Topic.CLUSTERS, clusterType, cluster, cluster, Map.of("clusterId", cluster, "to", "renamed"));
        registerCluster(cluster, "scope-newer");
        createPolicy("no-privileged-newer", "audit", "scope-newer", PRIVILEGED_RULE);
        producer.send(Topic.RESOURCES, resourceType, pod.key(), cluster, Map.of("patch", "[]"));
        observe(pod);
        awaitResult(EventType.VIOLATION_OPENED, cluster, "after");

        // Unreadable records on the same keys: their dead letters come after any of the records before them.
        byte[] garbage = "not a cloud event".getBytes(StandardCharsets.UTF_8);
        producer.sendRaw(Topic.CLUSTERS.topicName(), cluster, garbage);
        producer.sendRaw(Topic.RESOURCES.topicName(), pod.key(), garbage);
        clusterDeadLetters.awaitFirst(r -> cluster.equals(r.key()) && r.header("ce_type") == null, EVENTUALLY);
        deadLetters.awaitFirst(r -> pod.key().equals(r.key()) && r.header("ce_type") == null, EVENTUALLY);
        assertThat(clusterDeadLetters.all()).noneMatch(r -> clusterType.equals(r.header("ce_type")));
        assertThat(deadLetters.all()).noneMatch(r -> resourceType.equals(r.header("ce_type")));
        assertThat(given().get(managementMetrics)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .containsPattern(skippedMetric(Topic.CLUSTERS, clusterType))
                .containsPattern(skippedMetric(Topic.RESOURCES, resourceType));
    }

    // ------------------------------------------------------------------ helpers

    static final String PRIVILEGED_RULE =
            "object.spec.containers.all(c, !has(c.securityContext) || !has(c.securityContext.privileged)"
                    + " || c.securityContext.privileged == false)";

    private static String policyJson(String name, String action, String scope, String expression) {
        return """
                {"name": "%s", "severity": "high", "action": "%s", "categories": ["security"],
                 "fleetScope": {"clusterSelector": {"matchLabels": {"test": "%s"}}},
                 "spec": {"matchConstraints": {"resourceRules": [{"apiGroups": ["", "apps"], "apiVersions": ["v1"],
                          "resources": ["pods", "deployments"], "operations": ["CREATE", "UPDATE"]}]},
                          "validations": [{"expression": %s, "message": "privileged containers are not allowed"}]}}
                """.formatted(name, action, scope, quote(expression));
    }

    /** An audit policy of one scope whose {@code ensure} holds the given JSON objects in every namespace. */
    private static String ensurePolicyJson(String name, String scope, String objects) {
        return """
                {"name": "%s", "severity": "medium", "action": "audit", "categories": ["security"],
                 "fleetScope": {"clusterSelector": {"matchLabels": {"test": "%s"}}},
                 "spec": {"matchConstraints": {"resourceRules": [{"apiGroups": [""], "apiVersions": ["v1"],
                          "resources": ["namespaces"], "operations": ["CREATE", "UPDATE"]}]}},
                 "ensure": {"objects": [%s]}}
                """.formatted(name, scope, objects);
    }

    private static String ensureObject(String apiVersion, String kind, String name) {
        return """
                {"apiVersion": "%s", "kind": "%s", "metadata": {"name": "%s"}}""".formatted(apiVersion, kind, name);
    }

    /** The Prometheus line of the skipped-events counter of one topic and type, with a count of at least one. */
    private static String skippedMetric(Topic topic, String type) {
        return "meridian_fleet_events_skipped_total\\{[^}]*topic=\"" + Pattern.quote(topic.topicName()) + "\",type=\""
                + Pattern.quote(type) + "\"[^}]*\\} [1-9]";
    }

    private static String quote(String s) {
        return new String(EventJson.write(s), StandardCharsets.UTF_8);
    }

    private static void createPolicy(String name, String action, String scope, String expression) {
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(policyJson(name, action, scope, expression))
                .post("/api/v1/policies")
                .then()
                .statusCode(201)
                .body("policy.name", equalTo(name));
    }

    private static void registerCluster(String clusterId, String scope) {
        ClusterSnapshot snapshot = new ClusterSnapshot(
                clusterId,
                clusterId,
                null,
                Cloud.AWS,
                "eu-west-1",
                "prod",
                Map.of("test", scope),
                "https://" + clusterId + ".example",
                null,
                ClusterPhase.Ready,
                List.of(),
                "v1.31.0",
                3,
                6000,
                24L << 30,
                null,
                null,
                List.of(),
                1,
                Instant.now());
        producer.send(EventType.CLUSTER_REGISTERED, clusterId, clusterId, snapshot);
    }

    private static void observe(ObservedResource resource) {
        producer.send(EventType.RESOURCE_OBSERVED, resource.key(), resource.clusterId(), resource);
    }

    static ObservedResource pod(String cluster, String namespace, String name, boolean privileged) {
        Map<String, Object> manifest = Map.of(
                "apiVersion",
                "v1",
                "kind",
                "Pod",
                "metadata",
                Map.of("name", name, "namespace", namespace, "labels", Map.of("app", name)),
                "spec",
                Map.of(
                        "containers",
                        List.of(Map.of(
                                "name",
                                "main",
                                "image",
                                "registry.example/" + name + ":1.0",
                                "securityContext",
                                Map.of("privileged", privileged)))));
        return resource(cluster, "", "v1", "Pod", namespace, name, Map.of("app", name), manifest);
    }

    static ObservedResource deployment(String cluster, String namespace, String name, int replicas) {
        Map<String, Object> manifest = Map.of(
                "apiVersion",
                "apps/v1",
                "kind",
                "Deployment",
                "metadata",
                Map.of("name", name, "namespace", namespace),
                "spec",
                Map.of("replicas", replicas));
        return resource(cluster, "apps", "apps/v1", "Deployment", namespace, name, Map.of(), manifest);
    }

    static ObservedResource namespace(String cluster, String name, Map<String, String> labels) {
        Map<String, Object> manifest =
                Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", name, "labels", labels));
        return resource(cluster, "", "v1", "Namespace", null, name, labels, manifest);
    }

    private static ObservedResource resource(
            String cluster,
            String group,
            String apiVersion,
            String kind,
            String namespace,
            String name,
            Map<String, String> labels,
            Map<String, Object> manifest) {
        return new ObservedResource(
                cluster,
                group,
                apiVersion,
                kind,
                namespace,
                name,
                cluster + "-" + name,
                "1",
                labels,
                Map.of(),
                null,
                null,
                List.of(),
                null,
                null,
                null,
                Instant.now(),
                0,
                manifest);
    }

    private static ComplianceResult awaitResult(EventType type, String cluster, String name) {
        Received r = compliance.awaitFirst(
                x -> type.type().equals(x.header("ce_type"))
                        && x.value() != null
                        && read(x).clusterId().equals(cluster)
                        && read(x).object().name().equals(name),
                EVENTUALLY);
        return read(r);
    }

    private static List<ComplianceResult> results(EventType type, String cluster, String name) {
        return compliance.ofType(type.type()).stream()
                .map(PolicyComponentTest::read)
                .filter(r -> r.clusterId().equals(cluster) && r.object().name().equals(name))
                .toList();
    }

    private static DesiredBundle awaitBundle(String cluster, Predicate<DesiredBundle> match) {
        Received r = desired.awaitFirst(
                x -> x.value() != null
                        && x.key().equals("policy/" + cluster)
                        && match.test(EventJson.read(x.value(), DesiredBundle.class)),
                EVENTUALLY);
        return EventJson.read(r.value(), DesiredBundle.class);
    }

    private static List<DesiredBundle> desiredFor(String cluster) {
        return desired.all().stream()
                .filter(x -> x.value() != null && x.key().equals("policy/" + cluster))
                .map(x -> EventJson.read(x.value(), DesiredBundle.class))
                .toList();
    }

    private static ComplianceResult read(Received r) {
        return EventJson.read(r.value(), ComplianceResult.class);
    }

    private static String utf8(Received r) {
        return new String(r.value(), StandardCharsets.UTF_8);
    }
}
