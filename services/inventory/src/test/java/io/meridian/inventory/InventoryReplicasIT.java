package io.meridian.inventory;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.meridian.contracts.EventType;
import io.meridian.contracts.Topic;
import io.meridian.contracts.desired.DesiredBundle;
import io.meridian.contracts.desired.DriftPolicy;
import io.meridian.testsupport.Awaits;
import io.meridian.testsupport.ClusterObjects;
import io.meridian.testsupport.EventProducer;
import io.meridian.testsupport.KafkaBroker;
import io.meridian.testsupport.MockCluster;
import io.meridian.testsupport.PostgresDatabase;
import io.meridian.testsupport.Tokens;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scale-out for real: two packaged inventory processes share the clusters by the partitions of
 * {@code fleet.clusters.v1}; when one stops, the other picks its clusters up, and no cluster is ever
 * connected twice once the group has settled.
 */
class InventoryReplicasIT {

    private static final String OPERATOR = Tokens.bearer("olga", Tokens.OPERATOR);
    private static final Pattern CONNECTIONS =
            Pattern.compile("(?m)^meridian_inventory_connections(?:\\{[^}]*\\})? ([0-9.]+)$");
    private static final int CLUSTERS = 6;

    private static final List<MockCluster> clusters = new ArrayList<>();
    private static final List<MockCluster> replicaClusters = new ArrayList<>();
    private static OidcWiremockTestResource oidc;
    private static Map<String, String> common;

    @BeforeAll
    static void infrastructure() {
        KafkaBroker broker = KafkaBroker.shared().createMeridianTopics();
        PostgresDatabase db = PostgresDatabase.freshDatabase("inventory_it");
        oidc = new OidcWiremockTestResource();
        Map<String, String> oidcConfig = oidc.start();
        common = new HashMap<>();
        common.put("kafka.bootstrap.servers", broker.bootstrapServers());
        common.put("quarkus.datasource.jdbc.url", db.jdbcUrl());
        common.put("quarkus.datasource.reactive.url", db.reactiveUrl());
        common.put("quarkus.datasource.username", db.username());
        common.put("quarkus.datasource.password", db.password());
        common.put("quarkus.oidc.auth-server-url", oidcConfig.get("keycloak.url") + "/realms/quarkus/");
        common.put("quarkus.oidc.token.issuer", Tokens.ISSUER);
        common.put("meridian.inventory.credentials.active-key-id", "it");
        common.put("meridian.inventory.credentials.keys.it", "aXQtb25seS1rZXktZm9yLWludmVudG9yeS1yZXBsaWM=");
        common.put("meridian.inventory.connections.probe-interval", "1s");
        common.put("meridian.inventory.connections.probe-timeout", "1s");
        common.put("quarkus.log.console.json.enabled", "false");
        for (int i = 0; i < CLUSTERS; i++) {
            MockCluster cluster = MockCluster.start("replica-test-" + i);
            cluster.client()
                    .nodes()
                    .resource(ClusterObjects.awsNode("node-" + i, "us-east-1", "us-east-1a", "m6i.xlarge"))
                    .create();
            clusters.add(cluster);
            replicaClusters.add(cluster);
        }
    }

    @AfterAll
    static void stop() {
        clusters.forEach(MockCluster::close);
        oidc.stop();
    }

    @Test
    void replicasSplitTheFleetAndHandClustersOverWhenOneStops() throws Exception {
        try (Replica a = Replica.start("a", common)) {
            for (MockCluster cluster : replicaClusters) {
                register(a, cluster);
            }
            Awaits.eventually(
                    Duration.ofSeconds(60), () -> assertThat(a.connections()).isEqualTo(CLUSTERS));
            awaitAllReady(a);

            try (Replica b = Replica.start("b", common)) {
                Awaits.eventually(Duration.ofSeconds(60), () -> {
                    assertThat(b.connections()).isPositive();
                    assertThat(a.connections()).isPositive();
                    assertThat(a.connections() + b.connections())
                            .as("each cluster connected by exactly one replica")
                            .isEqualTo(CLUSTERS);
                });

                a.close();
                Awaits.eventually(
                        Duration.ofSeconds(60),
                        () -> assertThat(b.connections()).isEqualTo(CLUSTERS));
                awaitAllReady(b);
            }
        }
    }

    @Test
    void aReplicaKilledWhileApplyingABundleConvergesAfterRestartWithoutRewritingObjects() throws Exception {
        MockCluster cluster = MockCluster.start("restart-test");
        clusters.add(cluster);
        cluster.client()
                .nodes()
                .resource(ClusterObjects.awsNode("restart-node", "us-east-1", "us-east-1a", "m6i.xlarge"))
                .create();
        List<Map<String, Object>> bindings = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            bindings.add(Map.of(
                    "apiVersion", "rbac.authorization.k8s.io/v1",
                    "kind", "RoleBinding",
                    "metadata", Map.of("name", "team-" + i, "namespace", "payments"),
                    "roleRef", Map.of("apiGroup", "rbac.authorization.k8s.io", "kind", "ClusterRole", "name", "view"),
                    "subjects", List.of(Map.of("kind", "Group", "name", "oidc:team-" + i))));
        }
        var roleBindings = cluster.client().rbac().roleBindings().inNamespace("payments");
        Map<String, String> versionsAtKill = new HashMap<>();
        try (EventProducer producer =
                new EventProducer(KafkaBroker.shared().bootstrapServers(), "/meridian/identity")) {
            try (Replica killed = Replica.start("killed", common)) {
                register(killed, cluster);
                Awaits.eventually(
                        Duration.ofSeconds(60),
                        () -> given().baseUri(killed.url())
                                .header("Authorization", OPERATOR)
                                .get("/api/v1/clusters/restart-test")
                                .then()
                                .body("status.phase", equalTo("Ready")));
                producer.send(
                        Topic.DESIRED_IDENTITY,
                        EventType.DESIRED_BUNDLE_DECLARED,
                        "identity/restart-test",
                        "restart-test",
                        new DesiredBundle(
                                "identity", "restart-test", 1, DriftPolicy.REPAIR, false, bindings, Instant.now()));
                Awaits.eventually(
                        Duration.ofSeconds(60),
                        () -> assertThat(roleBindings.list().getItems()).isNotEmpty());
                killed.kill();
                roleBindings
                        .list()
                        .getItems()
                        .forEach(rb -> versionsAtKill.put(
                                rb.getMetadata().getName(), rb.getMetadata().getResourceVersion()));
            }
            try (Replica restarted = Replica.start("restarted", common)) {
                Awaits.eventually(
                        Duration.ofSeconds(60),
                        () -> given().baseUri(restarted.url())
                                .header("Authorization", OPERATOR)
                                .get("/api/v1/clusters/restart-test/sync")
                                .then()
                                .body("owners[0].generationApplied", equalTo(1)));
                assertThat(roleBindings.list().getItems()).hasSize(40);
                roleBindings.list().getItems().forEach(rb -> {
                    String before = versionsAtKill.get(rb.getMetadata().getName());
                    if (before != null) {
                        assertThat(rb.getMetadata().getResourceVersion())
                                .as(
                                        "%s was written once, not again after the restart",
                                        rb.getMetadata().getName())
                                .isEqualTo(before);
                    }
                });
                given().baseUri(restarted.url())
                        .header("Authorization", OPERATOR)
                        .delete("/api/v1/clusters/restart-test")
                        .then()
                        .statusCode(204);
                // Deregistration must stick, whatever the connection was doing at the time.
                org.awaitility.Awaitility.await()
                        .during(Duration.ofSeconds(3))
                        .atMost(Duration.ofSeconds(5))
                        .until(() -> given().baseUri(restarted.url())
                                        .header("Authorization", OPERATOR)
                                        .get("/api/v1/clusters/restart-test")
                                        .statusCode()
                                == 404);
            }
        }
    }

    private static void register(Replica replica, MockCluster cluster) {
        given().baseUri(replica.url())
                .header("Authorization", OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        cluster.name(),
                        "cloud",
                        "aws",
                        "region",
                        "us-east-1",
                        "credentials",
                        Map.of("kubeconfig", cluster.kubeconfig())))
                .post("/api/v1/clusters")
                .then()
                .statusCode(201);
    }

    private static void awaitAllReady(Replica replica) {
        Awaits.eventually(
                Duration.ofSeconds(60),
                () -> given().baseUri(replica.url())
                        .header("Authorization", OPERATOR)
                        .queryParam("phase", "Ready")
                        .get("/api/v1/clusters")
                        .then()
                        .statusCode(200)
                        .body("total", equalTo(CLUSTERS)));
    }

    /** One inventory process started from the packaged application. */
    private static final class Replica implements AutoCloseable {
        private final Process process;
        private final int port;
        private final int managementPort;

        private Replica(Process process, int port, int managementPort) {
            this.process = process;
            this.port = port;
            this.managementPort = managementPort;
        }

        static Replica start(String name, Map<String, String> config) throws IOException {
            int port = freePort();
            // Health and metrics are on the management interface, a port of its own.
            int managementPort = freePort();
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.add("-Xmx384m");
            command.add("-Dquarkus.http.port=" + port);
            command.add("-Dquarkus.management.port=" + managementPort);
            config.forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.add("-jar");
            command.add(Path.of("target", "quarkus-app", "quarkus-run.jar").toString());
            Path log = Path.of("target", "replica-" + name + ".log");
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Replica replica = new Replica(process, port, managementPort);
            Awaits.eventually(Duration.ofSeconds(60), () -> {
                assertThat(process.isAlive())
                        .as("replica %s is running; see %s", name, log)
                        .isTrue();
                given().baseUri(replica.managementUrl())
                        .get("/q/health/ready")
                        .then()
                        .statusCode(200);
            });
            return replica;
        }

        String url() {
            return "http://localhost:" + port;
        }

        String managementUrl() {
            return "http://localhost:" + managementPort;
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }

        int connections() {
            String metrics = given().baseUri(managementUrl())
                    .get("/q/metrics")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            Matcher m = CONNECTIONS.matcher(metrics);
            return m.find() ? (int) Double.parseDouble(m.group(1)) : 0;
        }

        /** Kills the process at once, as a crash or an OOM kill would. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }
}
