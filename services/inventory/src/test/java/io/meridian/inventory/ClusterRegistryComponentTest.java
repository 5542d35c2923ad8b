package io.meridian.inventory;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.meridian.contracts.EventJson;
import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.audit.AuditRecord;
import io.meridian.contracts.cluster.ClusterPhase;
import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.resource.ResyncMarker;
import io.meridian.testsupport.Awaits;
import io.meridian.testsupport.CloudEventCollector;
import io.meridian.testsupport.CloudEventCollector.Received;
import io.meridian.testsupport.ClusterObjects;
import io.meridian.testsupport.EventProducer;
import io.meridian.testsupport.KafkaBroker;
import io.meridian.testsupport.KafkaTestResource;
import io.meridian.testsupport.MockCluster;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The registry and the fleet's eyes against the real broker and database, with fabric8 mock API
 * servers standing for clusters.
 */
@QuarkusTest
// The same broker resource as BundleEngineComponentTest (its test owner's topic), so that one boot serves them all.
@WithTestResource(
        value = KafkaTestResource.class,
        initArgs = @ResourceArg(name = "topics", value = BundleEngineComponentTest.OWNER_TOPIC + ":6"))
@WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "schema", value = "inventory"))
@WithTestResource(OidcWiremockTestResource.class)
class ClusterRegistryComponentTest {

    /** Prometheus metrics, on the management port (the API port does not serve them). */
    @TestHTTPResource(value = "metrics", management = true)
    URL managementMetrics;

    private static final String OPERATOR = Tokens.bearer("olga", Tokens.OPERATOR);
    private static final String VIEWER = Tokens.bearer("vera", Tokens.VIEWER);
    private static final String ADMIN = Tokens.bearer("ada", Tokens.ADMIN);
    private static final Duration EVENTUALLY = Duration.ofSeconds(30);

    private static CloudEventCollector events;
    private static CloudEventCollector clusterDeadLetters;
    private static EventProducer producer;
    private static final List<String> logLines = new CopyOnWriteArrayList<>();
    private static final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logLines.add(String.valueOf(record.getMessage()) + " " + java.util.Arrays.toString(record.getParameters())
                    + (record.getThrown() == null ? "" : " " + record.getThrown()));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeAll
    static void collect() {
        events = CloudEventCollector.collect(
                KafkaBroker.shared().bootstrapServers(),
                Topic.CLUSTERS.topicName(),
                Topic.RESOURCES.topicName(),
                Topic.AUDIT_INVENTORY.topicName());
        clusterDeadLetters = CloudEventCollector.collect(
                KafkaBroker.shared().bootstrapServers(), Topic.CLUSTERS.deadLetterTopicName());
        producer = new EventProducer(KafkaBroker.shared().bootstrapServers(), "/test/inventory");
        java.util.logging.Logger.getLogger("").addHandler(capture);
    }

    @AfterAll
    static void stop() {
        java.util.logging.Logger.getLogger("").removeHandler(capture);
        events.close();
        clusterDeadLetters.close();
        producer.close();
    }

    @Test
    void registeredClusterBecomesReadyAndItsObjectsArePublished() {
        try (MockCluster cluster = MockCluster.start("aws-prod-1")) {
            var k8s = cluster.client();
            k8s.nodes()
                    .resource(ClusterObjects.awsNode("ip-10-0-1-10", "us-east-1", "us-east-1a", "m6i.xlarge"))
                    .create();
            k8s.nodes()
                    .resource(ClusterObjects.awsNode("ip-10-0-2-20", "us-east-1", "us-east-1b", "m6i.xlarge"))
                    .create();
            k8s.namespaces()
                    .resource(ClusterObjects.namespace("payments", "payments"))
                    .create();
            k8s.apps()
                    .deployments()
                    .resource(ClusterObjects.deployment("payments", "ledger", "nginx:1.27", 2))
                    .create();
            k8s.pods()
                    .resource(ClusterObjects.pod("payments", "ledger", "abcde", "nginx:1.27", "ip-10-0-1-10"))
                    .create();

            String body = given().header("Authorization", OPERATOR)
                    .contentType(ContentType.JSON)
                    .body(registration("aws-prod-1", "aws", "us-east-1", Map.of("kubeconfig", cluster.kubeconfig())))
                    .post("/api/v1/clusters")
                    .then()
                    .statusCode(201)
                    .header("Location", containsString("/api/v1/clusters/aws-prod-1"))
                    .body("credentials.kind", equalTo("kubeconfig"))
                    .extract()
                    .asString();
            assertThat(body).doesNotContain("mock-token").doesNotContain("apiVersion: v1");

            Awaits.eventually(
                    EVENTUALLY,
                    () -> given().header("Authorization", VIEWER)
                            .get("/api/v1/clusters/aws-prod-1")
                            .then()
                            .statusCode(200)
                            .body("status.phase", equalTo("Ready"))
                            .body("status.nodeCount", equalTo(2))
                            .body("status.allocatableCpuMillis", equalTo(8000))
                            .body("status.detectedCloud", equalTo("aws"))
                            .body("status.detectedRegion", equalTo("us-east-1"))
                            .body("status.kubernetesVersion", equalTo(MockCluster.KUBERNETES_VERSION))
                            .body("status.conditions.find { it.type == 'Ready' }.status", equalTo("True"))
                            .body("status.warnings", org.hamcrest.Matchers.empty()));

            Received registered = events.awaitFirst(
                    r -> isType(r, EventType.CLUSTER_REGISTERED) && "aws-prod-1".equals(r.key()), EVENTUALLY);
            assertThat(EventJson.read(registered.value(), ClusterSnapshot.class).phase())
                    .isEqualTo(ClusterPhase.Pending);
            events.awaitFirst(
                    r -> isType(r, EventType.CLUSTER_STATUS_CHANGED)
                            && "aws-prod-1".equals(r.key())
                            && EventJson.read(r.value(), ClusterSnapshot.class).phase() == ClusterPhase.Ready,
                    EVENTUALLY);
            Received completed = events.awaitFirst(
                    r -> isType(r, EventType.RESOURCE_RESYNC_COMPLETED)
                            && r.key().equals("aws-prod-1/~resync"),
                    EVENTUALLY);
            assertThat(EventJson.read(completed.value(), ResyncMarker.class).objectCount())
                    .isEqualTo(5);
            Received deployment = events.awaitFirst(
                    r -> isType(r, EventType.RESOURCE_OBSERVED)
                            && r.key().equals("aws-prod-1/apps/Deployment/payments/ledger"),
                    EVENTUALLY);
            ObservedResource observed = EventJson.read(deployment.value(), ObservedResource.class);
            assertThat(observed.containers()).singleElement().satisfies(c -> {
                assertThat(c.image()).isEqualTo("nginx:1.27");
                assertThat(c.requests().cpuMillis()).isEqualTo(250L);
            });
            assertThat(deployment.partition())
                    .as("every record about a cluster lands in one partition")
                    .isEqualTo(completed.partition());

            Awaits.eventually(
                    EVENTUALLY,
                    () -> given().header("Authorization", VIEWER)
                            .queryParam("kind", "Deployment")
                            .queryParam("image", "nginx:*")
                            .queryParam("cloud", "aws")
                            .get("/api/v1/resources")
                            .then()
                            .statusCode(200)
                            .body("items.name", hasItem("ledger")));

            Received audit = events.awaitFirst(
                    r -> isType(r, EventType.AUDIT_RECORD_APPENDED) && r.key().equals("Cluster/aws-prod-1"),
                    EVENTUALLY);
            AuditRecord record = EventJson.read(audit.value(), AuditRecord.class);
            assertThat(record.action()).isEqualTo("cluster.registered");
            assertThat(record.actor().name()).isEqualTo("olga");

            // An object deleted in the cluster becomes a tombstone, and search forgets it.
            k8s.pods()
                    .inNamespace("payments")
                    .withName("ledger-7c9f8d6b5d-abcde")
                    .delete();
            Received tombstone = events.awaitFirst(
                    r -> r.key().equals("aws-prod-1//Pod/payments/ledger-7c9f8d6b5d-abcde") && r.isTombstone(),
                    EVENTUALLY);
            assertThat(tombstone.event().type()).isEqualTo(EventType.RESOURCE_DELETED.type());
            Awaits.eventually(
                    EVENTUALLY,
                    () -> given().header("Authorization", VIEWER)
                            .queryParam("cluster", "aws-prod-1")
                            .queryParam("kind", "Pod")
                            .get("/api/v1/resources")
                            .then()
                            .body("total", equalTo(0)));

            assertThat(logLines).noneMatch(line -> line.contains("mock-token-aws-prod-1"));
            given().header("Authorization", VIEWER)
                    .get("/api/v1/clusters")
                    .then()
                    .statusCode(200)
                    .body(not(containsString("mock-token")));
        }
    }

    @Test
    void unreachableClusterIsDetectedQuicklyAndItsStaleObjectsArePurgedOnReturn() {
        try (MockCluster cluster = MockCluster.start("gcp-edge-1")) {
            var k8s = cluster.client();
            k8s.nodes()
                    .resource(ClusterObjects.gcpNode("gke-a", "europe-west1", "europe-west1-b", "n2-standard-4"))
                    .create();
            k8s.namespaces()
                    .resource(ClusterObjects.namespace("checkout", "checkout"))
                    .create();
            k8s.apps()
                    .deployments()
                    .resource(ClusterObjects.deployment("checkout", "cart", "redis:7", 1))
                    .create();
            registerReady("gcp-edge-1", "gcp", "europe-west1", cluster);
            events.awaitFirst(r -> r.key().equals("gcp-edge-1/apps/Deployment/checkout/cart"), EVENTUALLY);

            long down = System.nanoTime();
            cluster.stop();
            awaitPhase("gcp-edge-1", "Unreachable", Duration.ofSeconds(15));
            assertThat(Duration.ofNanos(System.nanoTime() - down)).isLessThan(Duration.ofSeconds(15));
            assertThat(events.all())
                    .as("nothing is reported deleted because the cluster is unreachable")
                    .noneMatch(r -> r.key().startsWith("gcp-edge-1/") && r.isTombstone());

            // It comes back without the Deployment, which was deleted while it was away.
            cluster.startAgain();
            cluster.client()
                    .nodes()
                    .resource(ClusterObjects.gcpNode("gke-a", "europe-west1", "europe-west1-b", "n2-standard-4"))
                    .create();
            cluster.client()
                    .namespaces()
                    .resource(ClusterObjects.namespace("checkout", "checkout"))
                    .create();
            awaitPhase("gcp-edge-1", "Ready", EVENTUALLY);
            events.awaitFirst(
                    r -> r.key().equals("gcp-edge-1/apps/Deployment/checkout/cart") && r.isTombstone(), EVENTUALLY);
            assertThat(events.ofType(EventType.RESOURCE_RESYNC_COMPLETED.type()).stream()
                            .filter(r -> r.key().startsWith("gcp-edge-1/")))
                    .hasSizeGreaterThanOrEqualTo(2);
            Awaits.eventually(
                    EVENTUALLY,
                    () -> given().header("Authorization", VIEWER)
                            .queryParam("cluster", "gcp-edge-1")
                            .get("/api/v1/resources")
                            .then()
                            .body("total", equalTo(2))
                            .body("items.kind", not(hasItem("Deployment"))));
        }
    }

    @Test
    void aResyncMarkerTombstonesOnlyWhatTheClusterNoLongerHolds() {
        try (MockCluster cluster = MockCluster.start("gcp-replay-1")) {
            cluster.client()
                    .nodes()
                    .resource(ClusterObjects.gcpNode("gke-r", "europe-west1", "europe-west1-b", "n2-standard-4"))
                    .create();
            cluster.client()
                    .namespaces()
                    .resource(ClusterObjects.namespace("again", "shop"))
                    .create();
            registerReady("gcp-replay-1", "gcp", "europe-west1", cluster);
            Received current = events.awaitFirst(
                    r -> isType(r, EventType.RESOURCE_RESYNC_COMPLETED)
                            && r.key().equals(ResyncMarker.key("gcp-replay-1")),
                    EVENTUALLY);
            long epoch = EventJson.read(current.value(), ResyncMarker.class).epoch();

            // What a replica replaying the topic from the start reads: the namespace as an old connection saw it, and
            // that connection's resync without it (it was deleted then, and tombstoned then). It exists again now: the
            // old marker must not tombstone it.
            ObservedResource replayed = observed("gcp-replay-1", "", "Namespace", "", "again", epoch - 2_000);
            producer.send(EventType.RESOURCE_OBSERVED, replayed.key(), "gcp-replay-1", replayed);
            completedResync("gcp-replay-1", epoch - 1_000);
            // A Service the cluster does not hold, last seen by an old connection: whichever marker says so, it goes.
            ObservedResource vanished = observed("gcp-replay-1", "", "Service", "default", "vanished", epoch - 2_000);
            producer.send(EventType.RESOURCE_OBSERVED, vanished.key(), "gcp-replay-1", vanished);
            completedResync("gcp-replay-1", epoch - 1_000);

            Received tombstone = events.awaitFirst(r -> r.key().equals(vanished.key()) && r.isTombstone(), EVENTUALLY);
            assertThat(events.all())
                    .as("the namespace the cluster holds was not tombstoned (it would have been before the Service)")
                    .noneMatch(
                            r -> r.key().equals(replayed.key()) && r.isTombstone() && r.offset() < tombstone.offset());
        }
    }

    private static void completedResync(String cluster, long epoch) {
        producer.send(
                EventType.RESOURCE_RESYNC_COMPLETED,
                ResyncMarker.key(cluster),
                cluster,
                new ResyncMarker(cluster, epoch, ResyncMarker.Phase.Completed, 1, java.time.Instant.now()));
    }

    private static ObservedResource observed(
            String cluster, String group, String kind, String namespace, String name, long epoch) {
        return new ObservedResource(
                cluster,
                group,
                "v1",
                kind,
                namespace.isEmpty() ? null : namespace,
                name,
                "uid-" + name,
                "1",
                Map.of(),
                Map.of(),
                null,
                null,
                List.of(),
                null,
                null,
                null,
                java.time.Instant.now(),
                epoch);
    }

    @Test
    void aKindForbiddenDuringAResyncKeepsItsObjectsWhileAnotherKindsVanishedObjectIsTombstoned() {
        String name = "gcp-rbac-1";
        String clusterRoleKey = name + "/rbac.authorization.k8s.io/ClusterRole//ops-debug-all";
        String deploymentKey = name + "/apps/Deployment/checkout/cart";
        try (MockCluster cluster = MockCluster.start(name)) {
            var k8s = cluster.client();
            k8s.namespaces()
                    .resource(ClusterObjects.namespace("checkout", "checkout"))
                    .create();
            k8s.apps()
                    .deployments()
                    .resource(ClusterObjects.deployment("checkout", "cart", "redis:7", 1))
                    .create();
            k8s.rbac()
                    .clusterRoles()
                    .resource(new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder()
                            .withNewMetadata()
                            .withName("ops-debug-all")
                            .endMetadata()
                            .addNewRule()
                            .withApiGroups("*")
                            .withResources("*")
                            .withVerbs("*")
                            .endRule()
                            .build())
                    .create();
            given().header("Authorization", OPERATOR)
                    .contentType(ContentType.JSON)
                    .body(registration(name, "gcp", "europe-west1", Map.of("kubeconfig", cluster.kubeconfig())))
                    .post("/api/v1/clusters")
                    .then()
                    .statusCode(201);
            awaitPhase(name, "Ready", EVENTUALLY);
            events.awaitFirst(r -> r.key().equals(clusterRoleKey) && !r.isTombstone(), EVENTUALLY);
            events.awaitFirst(r -> r.key().equals(deploymentKey) && !r.isTombstone(), EVENTUALLY);

            // RBAC now denies ClusterRoles to inventory, and the cluster comes back from an outage without the
            // Deployment, which was deleted while it was away.
            cluster.forbidKinds(List.of("ClusterRole"));
            cluster.stop();
            awaitPhase(name, "Unreachable", Duration.ofSeconds(15));
            cluster.startAgain();
            cluster.client()
                    .namespaces()
                    .resource(ClusterObjects.namespace("checkout", "checkout"))
                    .create();

            events.awaitFirst(r -> r.key().equals(deploymentKey) && r.isTombstone(), EVENTUALLY);
            awaitPhase(name, "Degraded", EVENTUALLY);
            // The stale objects' tombstones go out together: none may follow for the ClusterRole.
            org.awaitility.Awaitility.await("the ClusterRole could not be listed: nothing says it is gone")
                    .during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(5))
                    .until(() ->
                            events.all().stream().noneMatch(r -> r.key().equals(clusterRoleKey) && r.isTombstone()));
            Received partial = events.awaitFirst(
                    r -> r.key().equals(ResyncMarker.key(name))
                            && isType(r, EventType.RESOURCE_RESYNC_COMPLETED)
                            && !EventJson.read(r.value(), ResyncMarker.class)
                                    .notResynced()
                                    .isEmpty(),
                    EVENTUALLY);
            assertThat(EventJson.read(partial.value(), ResyncMarker.class).notResynced())
                    .containsExactly(new ResyncMarker.GroupKind("rbac.authorization.k8s.io", "ClusterRole"));
            given().header("Authorization", VIEWER)
                    .queryParam("cluster", name)
                    .queryParam("kind", "ClusterRole")
                    .get("/api/v1/resources")
                    .then()
                    .body("total", equalTo(1));
            given().header("Authorization", VIEWER)
                    .get("/api/v1/clusters/" + name)
                    .then()
                    .body("status.conditions.find { it.type == 'Synced' }.reason", equalTo("KindsUnavailable"))
                    .body("status.conditions.find { it.type == 'Synced' }.message", containsString("ClusterRole"));
        }
    }

    @Test
    void badRegistrationsAreRefusedNamingTheFieldAndNothingIsStored() {
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(registration("Bad_Name", "aws", "us-east-1", Map.of("token", "abc")))
                .post("/api/v1/clusters")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("name"));

        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(registration("fine-name", "alibaba", "us-east-1", Map.of("token", "abc")))
                .post("/api/v1/clusters")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("cloud"))
                .body("errors.find { it.field == 'cloud' }.message", containsString("aws, azure, gcp, onprem, other"));

        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(registration("fine-name", "aws", "us-east-1", Map.of("kubeconfig", "this: [is not a kubeconfig")))
                .post("/api/v1/clusters")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem(containsString("credentials")));

        Map<String, String> tooMany = new HashMap<>();
        for (int i = 0; i < 70; i++) {
            tooMany.put("label-" + i, "v");
        }
        Map<String, Object> oversized = registration("fine-name", "aws", "us-east-1", Map.of("token", "abc"));
        oversized.put("labels", tooMany);
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(oversized)
                .post("/api/v1/clusters")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("labels"));

        Map<String, Object> longValue = registration("fine-name", "aws", "us-east-1", Map.of("token", "abc"));
        longValue.put("labels", Map.of("team", "x".repeat(64)));
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(longValue)
                .post("/api/v1/clusters")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("labels[team]"));

        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body("{\"name\": 42, \"labels\": \"not a map\"}")
                .post("/api/v1/clusters")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");

        given().header("Authorization", VIEWER)
                .contentType(ContentType.JSON)
                .body(registration("viewer-try", "aws", "us-east-1", Map.of("token", "abc")))
                .post("/api/v1/clusters")
                .then()
                .statusCode(403);

        given().header("Authorization", VIEWER)
                .get("/api/v1/clusters/fine-name")
                .then()
                .statusCode(404);
        given().header("Authorization", VIEWER)
                .get("/api/v1/clusters/viewer-try")
                .then()
                .statusCode(404);
        given().header("Authorization", VIEWER)
                .queryParam("labelSelector", "team in (a")
                .get("/api/v1/clusters")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("labelSelector"));
    }

    @Test
    void duplicateNameIsAConflictAndLabelsAndDeregistrationArePublished() {
        Map<String, Object> body = registration(
                "onprem-lab-1",
                "onprem",
                "dc-frankfurt",
                Map.of("token", "lab-secret-token", "insecureSkipTlsVerify", true));
        body.put("apiServerUrl", "https://127.0.0.1:1");
        // A lab cluster: relabelling a prod one is a fleet-admin's (onlyAFleetAdminMovesAClusterIntoOrOutOfProd...).
        body.put("environment", "dev");
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/clusters")
                .then()
                .statusCode(201)
                .body("credentials.kind", equalTo("token"))
                .body(not(containsString("lab-secret-token")));
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/clusters")
                .then()
                .statusCode(409)
                .contentType("application/problem+json");

        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("labels", Map.of("team", "platform", "tier", "lab")))
                .patch("/api/v1/clusters/onprem-lab-1")
                .then()
                .statusCode(200)
                .body("labels.tier", equalTo("lab"));
        Received updated = events.awaitFirst(
                r -> isType(r, EventType.CLUSTER_UPDATED) && "onprem-lab-1".equals(r.key()), EVENTUALLY);
        assertThat(EventJson.read(updated.value(), ClusterSnapshot.class).labels())
                .containsEntry("tier", "lab");

        given().header("Authorization", VIEWER)
                .queryParam("labelSelector", "tier=lab,team in (platform,payments)")
                .get("/api/v1/clusters")
                .then()
                .statusCode(200)
                .body("items.name", org.hamcrest.Matchers.contains("onprem-lab-1"));
        // The well-known labels select as the user's labels do.
        given().header("Authorization", VIEWER)
                .queryParam("labelSelector", "tier=lab,meridian.io/cloud=onprem,meridian.io/region=dc-frankfurt")
                .get("/api/v1/clusters")
                .then()
                .statusCode(200)
                .body("items.name", org.hamcrest.Matchers.contains("onprem-lab-1"));
        given().header("Authorization", VIEWER)
                .queryParam("labelSelector", "tier=lab,meridian.io/cloud=aws")
                .get("/api/v1/clusters")
                .then()
                .statusCode(200)
                .body("items", org.hamcrest.Matchers.empty());

        given().header("Authorization", OPERATOR)
                .delete("/api/v1/clusters/onprem-lab-1")
                .then()
                .statusCode(204);
        given().header("Authorization", VIEWER)
                .get("/api/v1/clusters/onprem-lab-1")
                .then()
                .statusCode(404);
        events.awaitFirst(
                r -> isType(r, EventType.CLUSTER_DEREGISTERED) && !r.isTombstone() && "onprem-lab-1".equals(r.key()),
                EVENTUALLY);
        events.awaitFirst(
                r -> "onprem-lab-1".equals(r.key())
                        && r.isTombstone()
                        && r.topic().equals(Topic.CLUSTERS.topicName()),
                EVENTUALLY);
        assertThat(logLines).noneMatch(line -> line.contains("lab-secret-token"));
    }

    @Test
    void aNewerClusterEventTypeIsCountedAndACompactionTombstoneIsNoDeadLetter() {
        String key = "newer-gone-1";
        String newer = "io.meridian.inventory.cluster.renamed.v9";
        // A newer replica's type, then the bare tombstone compaction tooling leaves of a deregistered cluster.
        producer.send(Topic.CLUSTERS, newer, key, key, Map.of("clusterId", key, "to", "renamed"));
        producer.tombstone(Topic.CLUSTERS.topicName(), key);

        // An unreadable record on the same key: its dead letter comes after any of the records before it.
        producer.sendRaw(Topic.CLUSTERS.topicName(), key, "not a cloud event".getBytes(StandardCharsets.UTF_8));
        clusterDeadLetters.awaitFirst(
                r -> key.equals(r.key()) && !r.isTombstone() && r.header("ce_type") == null, EVENTUALLY);
        assertThat(clusterDeadLetters.all())
                .filteredOn(r -> key.equals(r.key()))
                .noneMatch(r -> r.isTombstone() || newer.equals(r.header("ce_type")));
        assertThat(given().get(managementMetrics)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .containsPattern("meridian_fleet_events_skipped_total\\{[^}]*topic=\"fleet\\.clusters\\.v1\",type=\""
                        + java.util.regex.Pattern.quote(newer) + "\"[^}]*\\} [1-9]");
    }

    @Test
    void onlyAFleetAdminMovesAClusterIntoOrOutOfProdOrRelabelsAProdCluster() {
        registerUnreachable("guard-prod-1", "prod", Map.of("team", "payments"));
        registerUnreachable("guard-staging-1", "staging", Map.of("team", "payments"));

        // The confirmed exploit: an operator turns a prod cluster into staging, where an unapproved grant reaches.
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("environment", "staging"))
                .patch("/api/v1/clusters/guard-prod-1")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("fleet-admin"))
                .body("errors.field", hasItem("environment"));
        // Nor by a label that selectors read as the environment, nor any relabelling of a prod cluster.
        for (Map<String, String> labels : List.of(
                Map.of("team", "payments", "environment", "staging"),
                Map.of("team", "checkout"),
                Map.<String, String>of())) {
            given().header("Authorization", OPERATOR)
                    .contentType(ContentType.JSON)
                    .body(Map.of("labels", labels))
                    .patch("/api/v1/clusters/guard-prod-1")
                    .then()
                    .statusCode(403)
                    .body("errors.field", hasItem("labels"));
        }
        // Into prod is guarded the same way, by environment and by label.
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("environment", "prod"))
                .patch("/api/v1/clusters/guard-staging-1")
                .then()
                .statusCode(403)
                .body("errors.field", hasItem("environment"));
        for (String key : List.of("environment", "meridian.io/environment")) {
            given().header("Authorization", OPERATOR)
                    .contentType(ContentType.JSON)
                    .body(Map.of("labels", Map.of("team", "payments", key, "prod")))
                    .patch("/api/v1/clusters/guard-staging-1")
                    .then()
                    .statusCode(403)
                    .body("errors.field", hasItem("labels"));
        }
        given().header("Authorization", VIEWER)
                .get("/api/v1/clusters/guard-prod-1")
                .then()
                .body("environment", equalTo("prod"))
                .body("labels", equalTo(Map.of("team", "payments")));
        given().header("Authorization", VIEWER)
                .get("/api/v1/clusters/guard-staging-1")
                .then()
                .body("environment", equalTo("staging"))
                .body("labels", equalTo(Map.of("team", "payments")));

        // What stays an operator's: other metadata of a prod cluster, and labels and environments outside prod.
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("displayName", "Payments prod (guarded)"))
                .patch("/api/v1/clusters/guard-prod-1")
                .then()
                .statusCode(200);
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("environment", "dev", "labels", Map.of("team", "checkout")))
                .patch("/api/v1/clusters/guard-staging-1")
                .then()
                .statusCode(200)
                .body("environment", equalTo("dev"));

        // A fleet-admin may, and it is an audited change like any other.
        given().header("Authorization", ADMIN)
                .contentType(ContentType.JSON)
                .body(Map.of("environment", "staging"))
                .patch("/api/v1/clusters/guard-prod-1")
                .then()
                .statusCode(200)
                .body("environment", equalTo("staging"));
        Received audited = events.awaitFirst(
                r -> r.topic().equals(Topic.AUDIT_INVENTORY.topicName())
                        && r.value() != null
                        && "Cluster/guard-prod-1".equals(r.key())
                        && "environment"
                                .equals(EventJson.read(r.value(), AuditRecord.class)
                                        .details()
                                        .get("changed")),
                EVENTUALLY);
        AuditRecord record = EventJson.read(audited.value(), AuditRecord.class);
        assertThat(record.action()).isEqualTo("cluster.updated");
        assertThat(record.actor().name()).isEqualTo("ada");
        given().header("Authorization", ADMIN).delete("/api/v1/clusters/guard-prod-1");
        given().header("Authorization", ADMIN).delete("/api/v1/clusters/guard-staging-1");
    }

    @Test
    void clusterApiManagementClusterImportsUpdatesAndDeregistersItsClusters() {
        try (MockCluster management = MockCluster.start("capi-mgmt");
                MockCluster workload = MockCluster.start("capi-wl-1")) {
            workload.client()
                    .nodes()
                    .resource(ClusterObjects.awsNode("ip-10-9-0-1", "eu-west-1", "eu-west-1a", "c6i.2xlarge"))
                    .create();
            var capiClusters = management.client().genericKubernetesResources(CAPI_CLUSTERS);
            management
                    .client()
                    .namespaces()
                    .resource(ClusterObjects.namespace("fleet", "platform"))
                    .create();
            capiClusters
                    .inNamespace("fleet")
                    .resource(capiCluster("capi-wl-1", "AWSCluster", "gold"))
                    .create();
            management
                    .client()
                    .secrets()
                    .inNamespace("fleet")
                    .resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                            .withNewMetadata()
                            .withName("capi-wl-1-kubeconfig")
                            .withNamespace("fleet")
                            .addToLabels("cluster.x-k8s.io/cluster-name", "capi-wl-1")
                            .endMetadata()
                            .addToData(
                                    "value",
                                    java.util.Base64.getEncoder()
                                            .encodeToString(workload.kubeconfig()
                                                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                            .build())
                    .create();

            Map<String, Object> body =
                    registration("capi-mgmt", "aws", "eu-west-1", Map.of("kubeconfig", management.kubeconfig()));
            body.put("labels", Map.of("meridian.io/capi-management", "true"));
            given().header("Authorization", OPERATOR)
                    .contentType(ContentType.JSON)
                    .body(body)
                    .post("/api/v1/clusters")
                    .then()
                    .statusCode(201);

            Awaits.eventually(
                    EVENTUALLY,
                    () -> given().header("Authorization", VIEWER)
                            .get("/api/v1/clusters/capi-wl-1")
                            .then()
                            .statusCode(200)
                            .body("cloud", equalTo("aws"))
                            .body("source", equalTo("capi"))
                            .body("environment", equalTo("staging"))
                            .body("labels.tier", equalTo("gold"))
                            .body("labels.'meridian.io/source'", equalTo("capi"))
                            .body("status.phase", equalTo("Ready")));

            var changed =
                    capiClusters.inNamespace("fleet").withName("capi-wl-1").get();
            changed.getMetadata().getLabels().put("tier", "silver");
            capiClusters.inNamespace("fleet").resource(changed).update();
            Awaits.eventually(
                    EVENTUALLY,
                    () -> given().header("Authorization", VIEWER)
                            .get("/api/v1/clusters/capi-wl-1")
                            .then()
                            .body("labels.tier", equalTo("silver")));

            capiClusters.inNamespace("fleet").withName("capi-wl-1").delete();
            Awaits.eventually(
                    EVENTUALLY,
                    () -> given().header("Authorization", VIEWER)
                            .get("/api/v1/clusters/capi-wl-1")
                            .then()
                            .statusCode(404));
            given().header("Authorization", OPERATOR)
                    .delete("/api/v1/clusters/capi-mgmt")
                    .then()
                    .statusCode(204);
        }
    }

    @Test
    void clusterApiImportKeepsANameWithItsNamespaceAndReadsOnlyAllowedNamespaces() {
        // The test profile allows the namespaces "fleet" and "team-b" (meridian.inventory.capi.namespaces).
        try (MockCluster management = MockCluster.start("capi-mgmt-guard");
                MockCluster legit = MockCluster.start("capi-legit");
                MockCluster rogue = MockCluster.start("capi-rogue")) {
            for (String namespace : List.of("fleet", "team-b", "sandbox")) {
                management
                        .client()
                        .namespaces()
                        .resource(ClusterObjects.namespace(namespace, "platform"))
                        .create();
            }
            createCapiCluster(management, "fleet", "capi-shared", "gold", legit);
            Map<String, Object> body =
                    registration("capi-mgmt-guard", "aws", "eu-west-1", Map.of("kubeconfig", management.kubeconfig()));
            body.put("labels", Map.of("meridian.io/capi-management", "true"));
            given().header("Authorization", OPERATOR)
                    .contentType(ContentType.JSON)
                    .body(body)
                    .post("/api/v1/clusters")
                    .then()
                    .statusCode(201);
            Awaits.eventually(
                    EVENTUALLY,
                    () -> given().header("Authorization", VIEWER)
                            .get("/api/v1/clusters/capi-shared")
                            .then()
                            .statusCode(200)
                            .body("labels.tier", equalTo("gold"))
                            .body("labels.'meridian.io/capi-namespace'", equalTo("fleet")));

            // The exploit: a Cluster of the same name in another namespace took over the import's labels and
            // kubeconfig. Now the name stays with the namespace that imported it.
            createCapiCluster(management, "team-b", "capi-shared", "rogue", rogue);
            // A namespace outside the allow-list is not read at all.
            createCapiCluster(management, "sandbox", "capi-sandboxed", "rogue", rogue);
            // Created last: once it is imported, the import has seen the two before it.
            createCapiCluster(management, "fleet", "capi-marker", "gold", legit);
            Awaits.eventually(
                    EVENTUALLY,
                    () -> given().header("Authorization", VIEWER)
                            .get("/api/v1/clusters/capi-marker")
                            .then()
                            .statusCode(200));
            given().header("Authorization", VIEWER)
                    .get("/api/v1/clusters/capi-shared")
                    .then()
                    .statusCode(200)
                    .body("labels.tier", equalTo("gold"))
                    .body("labels.'meridian.io/capi-namespace'", equalTo("fleet"));
            given().header("Authorization", VIEWER)
                    .get("/api/v1/clusters/capi-sandboxed")
                    .then()
                    .statusCode(404);
            assertThat(logLines)
                    .anyMatch(
                            line -> line.contains("capi-shared") && line.contains("team-b") && line.contains("fleet"));

            given().header("Authorization", OPERATOR)
                    .delete("/api/v1/clusters/capi-mgmt-guard")
                    .then()
                    .statusCode(204);
            for (String imported : List.of("capi-shared", "capi-marker")) {
                given().header("Authorization", OPERATOR).delete("/api/v1/clusters/" + imported);
            }
        }
    }

    /** A CAPI Cluster and its kubeconfig secret in {@code namespace} of the management cluster. */
    private static void createCapiCluster(
            MockCluster management, String namespace, String name, String tier, MockCluster target) {
        var cluster = capiCluster(name, "AWSCluster", tier);
        cluster.getMetadata().setNamespace(namespace);
        management
                .client()
                .genericKubernetesResources(CAPI_CLUSTERS)
                .inNamespace(namespace)
                .resource(cluster)
                .create();
        management
                .client()
                .secrets()
                .inNamespace(namespace)
                .resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                        .withNewMetadata()
                        .withName(name + "-kubeconfig")
                        .withNamespace(namespace)
                        .addToLabels("cluster.x-k8s.io/cluster-name", name)
                        .endMetadata()
                        .addToData(
                                "value",
                                java.util.Base64.getEncoder()
                                        .encodeToString(
                                                target.kubeconfig().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                        .build())
                .create();
    }

    private static final io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext CAPI_CLUSTERS =
            new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder()
                    .withGroup("cluster.x-k8s.io")
                    .withVersion("v1beta1")
                    .withKind("Cluster")
                    .withPlural("clusters")
                    .withNamespaced(true)
                    .build();

    private static io.fabric8.kubernetes.api.model.GenericKubernetesResource capiCluster(
            String name, String infrastructureKind, String tier) {
        var cluster = new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                .withApiVersion("cluster.x-k8s.io/v1beta1")
                .withKind("Cluster")
                .withNewMetadata()
                .withName(name)
                .withNamespace("fleet")
                .addToLabels("environment", "staging")
                .addToLabels("tier", tier)
                .addToLabels("cluster.x-k8s.io/cluster-name", name)
                .endMetadata()
                .build();
        cluster.setAdditionalProperty(
                "spec",
                Map.of(
                        "infrastructureRef",
                        Map.of(
                                "apiVersion", "infrastructure.cluster.x-k8s.io/v1beta2",
                                "kind", infrastructureKind,
                                "name", name)));
        cluster.setAdditionalProperty("status", Map.of("phase", "Provisioned"));
        return cluster;
    }

    @Test
    void aClusterWhoseWatchesDeliverIsNotUnreachableBecauseItsProbesAreSlow() {
        try (MockCluster cluster = MockCluster.start("slow-probes-1")) {
            cluster.client()
                    .nodes()
                    .resource(ClusterObjects.awsNode("slow-node", "us-east-1", "us-east-1a", "m6i.xlarge"))
                    .create();
            cluster.client()
                    .apps()
                    .deployments()
                    .resource(ClusterObjects.deployment("default", "web", "nginx:1.27", 1))
                    .create();
            registerReady("slow-probes-1", "aws", "us-east-1", cluster);

            // A busy API server: every answer later than the 1 s probe timeout, while its watches keep delivering.
            cluster.statusChurn(Duration.ofMillis(200));
            cluster.latency(Duration.ofMillis(1500));
            org.awaitility.Awaitility.await()
                    .during(Duration.ofSeconds(8))
                    .atMost(Duration.ofSeconds(12))
                    .untilAsserted(() -> given().header("Authorization", VIEWER)
                            .get("/api/v1/clusters/slow-probes-1")
                            .then()
                            .body("status.phase", equalTo("Ready")));

            // Silent and slow is an outage, as before.
            cluster.statusChurn(Duration.ZERO);
            awaitPhase("slow-probes-1", "Unreachable", Duration.ofSeconds(15));
        }
    }

    /** Registers the mock cluster as an operator would and waits until inventory has it Ready. */
    private static void registerReady(String name, String cloud, String region, MockCluster cluster) {
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(registration(name, cloud, region, Map.of("kubeconfig", cluster.kubeconfig())))
                .post("/api/v1/clusters")
                .then()
                .statusCode(201);
        awaitPhase(name, "Ready", EVENTUALLY);
    }

    private static void awaitPhase(String name, String phase, Duration timeout) {
        Awaits.eventually(
                timeout,
                () -> given().header("Authorization", VIEWER)
                        .get("/api/v1/clusters/" + name)
                        .then()
                        .body("status.phase", equalTo(phase)));
    }

    private static boolean isType(Received r, EventType type) {
        return r.event() != null && type.type().equals(r.event().type());
    }

    /** Registers a cluster at an address where nothing answers: enough for registry rules, no connection needed. */
    private static void registerUnreachable(String name, String environment, Map<String, String> labels) {
        Map<String, Object> body =
                registration(name, "onprem", "dc-frankfurt", Map.of("token", "t", "insecureSkipTlsVerify", true));
        body.put("apiServerUrl", "https://127.0.0.1:1");
        body.put("environment", environment);
        body.put("labels", labels);
        given().header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/clusters")
                .then()
                .statusCode(201);
    }

    private static Map<String, Object> registration(
            String name, String cloud, String region, Map<String, Object> credentials) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("displayName", name.toUpperCase());
        body.put("cloud", cloud);
        body.put("region", region);
        body.put("environment", "prod");
        body.put("labels", Map.of("team", "payments"));
        body.put("credentials", credentials);
        return body;
    }
}
