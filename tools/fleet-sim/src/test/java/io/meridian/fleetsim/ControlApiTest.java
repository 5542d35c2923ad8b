package io.meridian.fleetsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path out;

    static Fleet fleet;
    static String aws;

    @BeforeAll
    static void start() {
        fleet = Fleet.start(FleetOptions.defaults().withClusters(2).withSeed(7).withOutDir(out));
        aws = fleet.clusters().getFirst().name();
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    record Reply(int status, String body) {
        Object json() throws Exception {
            return JSON.readValue(body, Object.class);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> object() throws Exception {
            return (Map<String, Object>) json();
        }
    }

    static Reply call(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(fleet.controlUrl() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body());
    }

    @Test
    void listsTheClusters() throws Exception {
        Reply reply = call("GET", "/clusters", null);
        assertThat(reply.status()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> clusters = (List<Map<String, Object>>) reply.json();
        assertThat(clusters).extracting(c -> c.get("name")).contains(aws);
        assertThat(clusters.getFirst())
                .containsKeys("cloud", "url", "up", "objects")
                .containsEntry("up", true);
    }

    @Test
    void takesAClusterDownForSomeSecondsAndBringsItBack() throws Exception {
        String name = fleet.clusters().get(1).name();
        SimulatedCluster cluster = fleet.cluster(name);
        int objects = cluster.objectCount();
        Reply down = call("POST", "/clusters/" + name + "/down?seconds=0.5", null);
        assertThat(down.status()).isEqualTo(200);
        assertThat(down.object()).containsEntry("up", false);
        assertThat(call("GET", "/clusters/" + name + "/metrics", null).status()).isEqualTo(503);

        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(cluster::isUp);
        assertThat(cluster.objectCount()).isEqualTo(objects);
        assertThat(cluster.client().namespaces().list().getItems()).isNotEmpty();

        assertThat(call("POST", "/clusters/" + name + "/down", null).object()).containsEntry("up", false);
        assertThat(call("POST", "/clusters/" + name + "/up", null).object()).containsEntry("up", true);
    }

    @Test
    void takesAWholeCloudDownAndBringsItBack() throws Exception {
        List<SimulatedCluster> awsClusters =
                fleet.clusters().stream().filter(c -> c.cloud() == Cloud.AWS).toList();
        List<SimulatedCluster> others =
                fleet.clusters().stream().filter(c -> c.cloud() != Cloud.AWS).toList();
        assertThat(awsClusters).isNotEmpty();
        assertThat(others).isNotEmpty();

        Reply down = call("POST", "/clouds/aws/down", null);
        assertThat(down.status()).isEqualTo(200);
        assertThat(down.object()).containsEntry("cloud", "aws");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> reported =
                (List<Map<String, Object>>) down.object().get("clusters");
        assertThat(reported)
                .extracting(c -> (String) c.get("name"))
                .containsExactlyInAnyOrderElementsOf(
                        awsClusters.stream().map(SimulatedCluster::name).toList());
        assertThat(awsClusters).noneMatch(SimulatedCluster::isUp);
        assertThat(others).allMatch(SimulatedCluster::isUp);

        assertThat(call("POST", "/clouds/aws/up", null).status()).isEqualTo(200);
        assertThat(awsClusters).allMatch(SimulatedCluster::isUp);

        Reply timed = call("POST", "/clouds/aws/down?seconds=0.5", null);
        assertThat(timed.object()).containsEntry("backInSeconds", 0.5);
        assertThat(awsClusters).noneMatch(SimulatedCluster::isUp);
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> awsClusters.stream().allMatch(SimulatedCluster::isUp));
    }

    @Test
    void cloudOutagesRefuseUnknownOrEmptyCloudsAndBadInput() throws Exception {
        assertThat(call("POST", "/clouds/ibm/down", null).status()).isEqualTo(404);
        String absent = Arrays.stream(Cloud.values())
                .filter(cloud -> fleet.clusters().stream().noneMatch(c -> c.cloud() == cloud))
                .findFirst()
                .orElseThrow()
                .wireName();
        Reply empty = call("POST", "/clouds/" + absent + "/down", null);
        assertThat(empty.status()).isEqualTo(404);
        assertThat(empty.object().get("error")).asString().contains(absent);
        assertThat(call("POST", "/clouds/aws/down?seconds=0", null).status()).isEqualTo(400);
        assertThat(call("POST", "/clouds/aws/sideways", null).status()).isEqualTo(404);
        assertThat(call("GET", "/clouds/aws/down", null).status()).isEqualTo(405);
        assertThat(fleet.clusters()).allMatch(SimulatedCluster::isUp);
    }

    @Test
    void driftEditsAndDeletesObjectsOutOfBand() throws Exception {
        Reply edit = call("POST", "/clusters/" + aws + "/drift", """
                {"action":"edit","kind":"RoleBinding","namespace":"data","name":"data-deployers",
                 "patch":{"metadata":{"labels":{"edited-by":"someone"}}}}""");
        assertThat(edit.status()).isEqualTo(200);
        assertThat(fleet.cluster(aws)
                        .client()
                        .rbac()
                        .roleBindings()
                        .inNamespace("data")
                        .withName("data-deployers")
                        .get()
                        .getMetadata()
                        .getLabels())
                .containsEntry("edited-by", "someone");

        Reply delete = call("POST", "/clusters/" + aws + "/drift", """
                {"action":"delete","kind":"ClusterRole","name":"ops-debug-all"}""");
        assertThat(delete.status()).isEqualTo(200);
        assertThat(fleet.cluster(aws)
                        .client()
                        .rbac()
                        .clusterRoles()
                        .withName("ops-debug-all")
                        .get())
                .isNull();

        assertThat(call("POST", "/clusters/" + aws + "/drift", """
                {"action":"delete","kind":"ClusterRole","name":"ops-debug-all"}""").status()).isEqualTo(404);
        assertThat(call("POST", "/clusters/" + aws + "/drift", """
                {"action":"explode","kind":"ClusterRole","name":"view"}""").status()).isEqualTo(400);
        assertThat(call("POST", "/clusters/" + aws + "/drift", """
                {"action":"edit","kind":"Gizmo","name":"x","patch":{"a":1}}""").status()).isEqualTo(400);
        assertThat(call("POST", "/clusters/" + aws + "/drift", """
                {"action":"edit","kind":"RoleBinding","name":"x","patch":{"a":1}}""").object().get("error"))
                .asString()
                .contains("namespace is required");
    }

    @Test
    void scalesDeploymentsAndAddsAndDeletesPods() throws Exception {
        Reply scale = call("POST", "/clusters/" + aws + "/scale", """
                {"namespace":"payments","deployment":"payments-api","replicas":4}""");
        assertThat(scale.status()).isEqualTo(200);
        assertThat(fleet.cluster(aws)
                        .client()
                        .apps()
                        .deployments()
                        .inNamespace("payments")
                        .withName("payments-api")
                        .get()
                        .getSpec()
                        .getReplicas())
                .isEqualTo(4);
        assertThat(call("POST", "/clusters/" + aws + "/scale", """
                {"namespace":"payments","deployment":"nope","replicas":4}""").status()).isEqualTo(404);
        assertThat(call("POST", "/clusters/" + aws + "/scale", """
                {"namespace":"payments","deployment":"payments-api","replicas":-1}""").status()).isEqualTo(400);

        Reply pod = call("POST", "/clusters/" + aws + "/pods", """
                {"namespace":"payments","name":"debug-shell","image":"docker.io/library/busybox:latest","privileged":true}""");
        assertThat(pod.status()).isEqualTo(201);
        var created = fleet.cluster(aws)
                .client()
                .pods()
                .inNamespace("payments")
                .withName("debug-shell")
                .get();
        assertThat(created.getSpec()
                        .getContainers()
                        .getFirst()
                        .getSecurityContext()
                        .getPrivileged())
                .isTrue();
        assertThat(created.getSpec().getNodeName()).isNotBlank();
        assertThat(call("POST", "/clusters/" + aws + "/pods", """
                {"namespace":"payments","name":"debug-shell","image":"busybox"}""").status()).isEqualTo(409);
        assertThat(call("POST", "/clusters/" + aws + "/pods", """
                {"namespace":"nowhere","name":"x","image":"busybox"}""").status()).isEqualTo(400);

        assertThat(call("DELETE", "/clusters/" + aws + "/pods/payments/debug-shell", null)
                        .status())
                .isEqualTo(200);
        assertThat(call("DELETE", "/clusters/" + aws + "/pods/payments/debug-shell", null)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void spikesRaiseCpuUsageAndTrafficMakesAPairChatty() throws Exception {
        String other = fleet.clusters().get(1).name();
        Map<String, Double> before = PrometheusText.parse(fleet.metrics(aws), new HashMap<>());
        assertThat(call("POST", "/clusters/" + aws + "/spike?cpu=5&seconds=60", null)
                        .status())
                .isEqualTo(200);
        Map<String, Double> during = PrometheusText.parse(fleet.metrics(aws), new HashMap<>());
        double cpuBefore = sum(before, "node_cpu_usage_cores");
        assertThat(sum(during, "node_cpu_usage_cores")).isGreaterThan(cpuBefore * 2);

        Reply traffic = call("POST", "/traffic", """
                {"from":"%s/data/ingest","to":"%s/data/kafka","bytesPerSecond":1000000}""".formatted(aws, other));
        assertThat(traffic.status()).isEqualTo(200);
        assertThat(fleet.metrics(aws))
                .contains("istio_tcp_sent_bytes_total{source_cluster=\"" + aws + "\",source_workload=\"ingest\"");
        assertThat(call("POST", "/traffic", """
                {"from":"nope/a/b","to":"%s/data/kafka","bytesPerSecond":1}""".formatted(other)).status()).isEqualTo(404);
        assertThat(call("POST", "/traffic", """
                {"from":"just-a-name","to":"%s/data/kafka","bytesPerSecond":1}""".formatted(other)).status()).isEqualTo(400);
        assertThat(call("POST", "/clusters/" + aws + "/spike?cpu=lots", null).status())
                .isEqualTo(400);
    }

    @Test
    void addsAClusterAndRewritesFleetJson() throws Exception {
        Reply added = call("POST", "/clusters", """
                {"cloud":"gcp","environment":"staging","region":"us-central1"}""");
        assertThat(added.status()).isEqualTo(201);
        String name = (String) added.object().get("name");
        assertThat(name).isEqualTo("gcp-staging-usc1-1");
        assertThat(added.object()).containsKeys("apiServerUrl", "metricsUrl", "credentials");
        assertThat(fleet.cluster(name).client().nodes().list().getItems())
                .allMatch(n -> n.getSpec().getProviderID().startsWith("gce://"));
        assertThat(Files.readString(out.resolve("fleet.json"))).contains(name);
        assertThat(out.resolve("kubeconfigs/" + name + ".yaml")).exists();

        assertThat(call("POST", "/clusters", "{\"cloud\":\"ibm\"}").status()).isEqualTo(400);
        assertThat(call("POST", "/clusters", "{\"cloud\":\"aws\",\"region\":\"mars-1\"}")
                        .status())
                .isEqualTo(400);
        assertThat(call("POST", "/clusters", "not json").status()).isEqualTo(400);
    }

    @Test
    void aForbiddenKindIsDeniedToClientsAsRbacWouldUntilAllowedAgain() throws Exception {
        String name = fleet.clusters().get(1).name();
        var client = fleet.cluster(name).client();
        int clusterRoles = client.rbac().clusterRoles().list().getItems().size();
        assertThat(clusterRoles).isPositive();

        Reply denied = call("POST", "/clusters/" + name + "/forbidden-kinds", "{\"kinds\":[\"clusterrole\"]}");
        assertThat(denied.status()).isEqualTo(200);
        assertThat(denied.object()).containsEntry("forbiddenKinds", List.of("ClusterRole"));
        try {
            assertThatThrownBy(() -> client.rbac().clusterRoles().list())
                    .isInstanceOf(KubernetesClientException.class)
                    .satisfies(e -> assertThat(((KubernetesClientException) e).getCode())
                            .isEqualTo(403))
                    .hasMessageContaining("clusterroles.rbac.authorization.k8s.io is forbidden");
            assertThatThrownBy(() -> client.rbac().clusterRoles().watch(new Watcher<>() {
                        @Override
                        public void eventReceived(Action action, ClusterRole resource) {}

                        @Override
                        public void onClose(WatcherException cause) {}
                    }))
                    .isInstanceOf(KubernetesClientException.class);
            // Other kinds, Namespaces included, still answer; the denied objects are still there.
            assertThat(client.rbac().clusterRoleBindings().list().getItems()).isNotEmpty();
            assertThat(client.namespaces().list().getItems()).isNotEmpty();
            assertThat(client.pods().inAnyNamespace().list().getItems()).isNotEmpty();
        } finally {
            assertThat(call("POST", "/clusters/" + name + "/forbidden-kinds", "{\"kinds\":[]}")
                            .object())
                    .containsEntry("forbiddenKinds", List.of());
        }
        assertThat(client.rbac().clusterRoles().list().getItems()).hasSize(clusterRoles);

        assertThat(call("POST", "/clusters/" + name + "/forbidden-kinds", "{\"kinds\":[\"Gizmo\"]}")
                        .status())
                .isEqualTo(400);
        assertThat(call("POST", "/clusters/" + name + "/forbidden-kinds", "{\"kinds\":\"Pod\"}")
                        .status())
                .isEqualTo(400);
    }

    @Test
    void throttledWritesAreTurnedAwayWith429WhileReadsStillAnswer() throws Exception {
        String name = fleet.clusters().get(1).name();
        SimulatedCluster cluster = fleet.cluster(name);
        String configMaps = cluster.apiServerUrl() + "/api/v1/namespaces/default/configmaps";
        String configMap = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                + "\"metadata\":{\"name\":\"throttled\",\"namespace\":\"default\"},\"data\":{\"a\":\"1\"}}";

        Reply throttled = call("POST", "/clusters/" + name + "/throttled-kinds", "{\"kinds\":[\"ConfigMap\"]}");
        assertThat(throttled.status()).isEqualTo(200);
        assertThat(throttled.object()).containsEntry("throttledKinds", List.of("ConfigMap"));
        try {
            HttpResponse<String> write = post(configMaps, configMap);
            assertThat(write.statusCode()).isEqualTo(429);
            assertThat(write.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(JSON.readValue(write.body(), Map.class))
                    .containsEntry("kind", "Status")
                    .containsEntry("reason", "TooManyRequests");
            HttpResponse<String> read = HTTP.send(
                    HttpRequest.newBuilder(URI.create(configMaps)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(cluster.client()
                            .configMaps()
                            .inNamespace("default")
                            .withName("throttled")
                            .get())
                    .isNull();
        } finally {
            assertThat(call("POST", "/clusters/" + name + "/throttled-kinds", "{\"kinds\":[]}")
                            .object())
                    .containsEntry("throttledKinds", List.of());
        }
        HttpResponse<String> written = post(configMaps, configMap);
        assertThat(written.statusCode()).isEqualTo(201);
        assertThat(call("POST", "/clusters/" + name + "/throttled-kinds", "{\"kinds\":[\"Gizmo\"]}")
                        .status())
                .isEqualTo(400);
    }

    /** A client's POST of {@code json} straight to a simulated API server. */
    private static HttpResponse<String> post(String url, String json) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .header("Content-Type", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void unknownClustersAndBadInputAreRefusedClearly() throws Exception {
        Reply unknown = call("POST", "/clusters/nope/down", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.object().get("error")).asString().contains("nope");
        assertThat(call("GET", "/clusters/nope/metrics", null).status()).isEqualTo(404);
        assertThat(call("POST", "/clusters/" + aws + "/latency?ms=abc", null).status())
                .isEqualTo(400);
        assertThat(call("POST", "/clusters/" + aws + "/latency", null).status()).isEqualTo(400);
        assertThat(call("POST", "/clusters/" + aws + "/down?seconds=-3", null).status())
                .isEqualTo(400);
        assertThat(call("POST", "/clusters/" + aws + "/scale", "[1,2]").status())
                .isEqualTo(400);
        assertThat(call("GET", "/nothing-here", null).status()).isEqualTo(404);
    }

    private static double sum(Map<String, Double> samples, String metric) {
        return samples.entrySet().stream()
                .filter(e -> e.getKey().startsWith(metric + "{"))
                .mapToDouble(Map.Entry::getValue)
                .sum();
    }
}
