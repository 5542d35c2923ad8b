package io.meridian.fleetsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetTest {

    @TempDir
    static Path out;

    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
    static Fleet fleet;

    @BeforeAll
    static void start() {
        fleet = Fleet.start(FleetOptions.defaults()
                .withClusters(4)
                .withSeed(42)
                .withCapi(true)
                .withOutDir(out)
                .withClock(CLOCK));
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @Test
    void writesKubeconfigsAndARegistrationPerCluster() throws Exception {
        assertThat(fleet.clusters()).hasSize(4);
        for (SimulatedCluster c : fleet.clusters()) {
            assertThat(out.resolve("kubeconfigs/" + c.name() + ".yaml")).hasContent(c.kubeconfig());
        }
        assertThat(out.resolve("kubeconfigs/capi-mgmt.yaml")).exists();
        assertThat(Files.readString(out.resolve("control.port")).trim())
                .isEqualTo(Integer.toString(fleet.controlPort()));

        Map<String, Object> first = fleet.registrations().getFirst();
        assertThat(first.keySet())
                .containsExactly(
                        "name",
                        "displayName",
                        "cloud",
                        "region",
                        "environment",
                        "labels",
                        "apiServerUrl",
                        "metricsUrl",
                        "credentials");
        assertThat(first).containsEntry("cloud", "aws").containsEntry("name", "aws-prod-use1-1");
        assertThat(first.get("credentials"))
                .isEqualTo(Map.of("kubeconfig", fleet.clusters().getFirst().kubeconfig()));
        assertThat(Files.readString(out.resolve("fleet.json"))).contains("\"apiServerUrl\"", "aws-prod-use1-1");
    }

    @Test
    void eachClusterAnswersLikeItsCloudsApiServer() {
        SimulatedCluster aws = fleet.cluster("aws-prod-use1-1");
        KubernetesClient client = aws.client();
        assertThat(client.getKubernetesVersion().getGitVersion()).startsWith("v1.31.4-eks-");
        List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
        assertThat(pods).isNotEmpty();
        Set<String> replicaSetUids = client.apps().replicaSets().inAnyNamespace().list().getItems().stream()
                .map(rs -> rs.getMetadata().getUid())
                .collect(Collectors.toSet());
        // UIDs survive seeding, so owner references point at real objects.
        assertThat(pods)
                .filteredOn(p -> p.getMetadata()
                        .getOwnerReferences()
                        .getFirst()
                        .getKind()
                        .equals("ReplicaSet"))
                .allMatch(p -> replicaSetUids.contains(
                        p.getMetadata().getOwnerReferences().getFirst().getUid()));
        assertThat(client.nodes().list().getItems())
                .allMatch(n -> n.getSpec().getProviderID().startsWith("aws:///us-east-1"));
        assertThat(aws.objectCount()).isBetween(150, 153);
    }

    @Test
    void aClusterThatGoesDownComesBackOnTheSamePortWithItsObjects() {
        SimulatedCluster cluster = fleet.cluster("azure-prod-weu-1");
        KubernetesClient client = cluster.client();
        String url = cluster.apiServerUrl();
        int before = cluster.objectCount();
        Pod victim = client.pods().inNamespace("payments").list().getItems().getFirst();

        cluster.down();
        assertThat(cluster.isUp()).isFalse();
        assertThatThrownBy(() -> client.namespaces().list()).isInstanceOf(KubernetesClientException.class);
        // Deleted during the outage, e.g. by the control API: stays deleted.
        assertThat(cluster.changes().deletePod("payments", victim.getMetadata().getName()))
                .isTrue();

        cluster.up();
        assertThat(cluster.apiServerUrl()).isEqualTo(url);
        assertThat(cluster.objectCount()).isEqualTo(before - 1);
        assertThat(client.pods()
                        .inNamespace("payments")
                        .withName(victim.getMetadata().getName())
                        .get())
                .isNull();
        assertThat(client.namespaces().list().getItems())
                .extracting(n -> n.getMetadata().getName())
                .contains("payments");
    }

    @Test
    void latencyDelaysEveryResponse() {
        SimulatedCluster cluster = fleet.cluster("gcp-prod-euw1-1");
        cluster.client().namespaces().list();
        cluster.latency(Duration.ofMillis(300));
        try {
            long t0 = System.nanoTime();
            cluster.client().namespaces().list();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        } finally {
            cluster.latency(Duration.ZERO);
        }
    }

    @Test
    void aPodCreatedByHandWithoutANodeUsesNothingAndKeepsTheMetricsServed() {
        String name = "aws-prod-use1-1";
        var pods = fleet.cluster(name).client().pods().inNamespace("default");
        pods.resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                        .withNewMetadata()
                        .withName("unscheduled")
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("main")
                        .withImage("busybox:1.36")
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
        try {
            Map<String, Double> series = PrometheusText.parse(fleet.metrics(name), new HashMap<>());

            assertThat(series.keySet())
                    .anyMatch(s -> s.startsWith("container_cpu_usage_cores{"))
                    .noneMatch(s -> s.contains("pod=\"unscheduled\""));
        } finally {
            pods.withName("unscheduled").delete();
        }
    }

    @Test
    void metricsAreValidPrometheusTextThatMovesWithTime() {
        String name = "aws-prod-use1-1";
        Map<String, String> types = new HashMap<>();
        Map<String, Double> before = PrometheusText.parse(fleet.metrics(name), types);
        assertThat(types)
                .containsEntry("node_cpu_usage_cores", "gauge")
                .containsEntry("node_memory_usage_bytes", "gauge")
                .containsEntry("kube_node_status_condition", "gauge")
                .containsEntry("container_cpu_usage_cores", "gauge")
                .containsEntry("container_memory_working_set_bytes", "gauge")
                .containsEntry("kube_pod_container_status_restarts_total", "counter")
                .containsEntry("istio_tcp_sent_bytes_total", "counter");
        assertThat(before.keySet())
                .anyMatch(s -> s.startsWith("kube_node_status_condition{")
                        && s.contains("condition=\"Ready\",status=\"true\"}"))
                .anyMatch(s -> s.startsWith("istio_tcp_sent_bytes_total{source_cluster=\"" + name + "\""));

        CLOCK.advance(Duration.ofSeconds(90));
        Map<String, Double> after = PrometheusText.parse(fleet.metrics(name), new HashMap<>());
        before.forEach((series, value) -> {
            if (series.startsWith("istio_tcp_sent_bytes_total")) {
                assertThat(after.get(series)).as(series).isGreaterThan(value);
            }
            if (series.startsWith("kube_pod_container_status_restarts_total") && after.containsKey(series)) {
                assertThat(after.get(series)).as(series).isGreaterThanOrEqualTo(value);
            }
        });
        assertThat(before.entrySet().stream()
                        .filter(e -> e.getKey().startsWith("container_cpu_usage_cores"))
                        .filter(e -> !e.getValue().equals(after.get(e.getKey())))
                        .count())
                .as("CPU usage moves")
                .isPositive();
    }

    @Test
    void theCapiManagementClusterHoldsAClusterAndKubeconfigSecretPerCluster() {
        CapiManagementCluster capi = fleet.capi().orElseThrow();
        KubernetesClient client = capi.client();
        List<GenericKubernetesResource> clusters = client.genericKubernetesResources(
                        "cluster.x-k8s.io/v1beta1", "Cluster")
                .inNamespace("fleet")
                .list()
                .getItems();
        assertThat(clusters)
                .extracting(c -> c.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(
                        fleet.clusters().stream().map(SimulatedCluster::name).toList());
        GenericKubernetesResource aws = clusters.stream()
                .filter(c -> c.getMetadata().getName().equals("aws-prod-use1-1"))
                .findFirst()
                .orElseThrow();
        assertThat(((Map<?, ?>) ((Map<?, ?>) aws.getAdditionalProperties().get("spec")).get("infrastructureRef"))
                        .get("kind"))
                .isEqualTo("AWSCluster");
        assertThat(aws.getMetadata().getLabels())
                .containsEntry("topology.kubernetes.io/region", "us-east-1")
                .containsAllEntriesOf(fleet.cluster("aws-prod-use1-1").labels());

        Secret secret = client.secrets()
                .inNamespace("fleet")
                .withName("aws-prod-use1-1-kubeconfig")
                .get();
        String kubeconfig =
                new String(Base64.getDecoder().decode(secret.getData().get("value")), StandardCharsets.UTF_8);
        assertThat(kubeconfig).isEqualTo(fleet.cluster("aws-prod-use1-1").kubeconfig());
        assertThat(client.genericKubernetesResources("cluster.x-k8s.io/v1beta1", "Cluster")
                        .inNamespace("fleet")
                        .withName("no-such-cluster")
                        .get())
                .isNull();
    }

    @Test
    void scalingAddsAndRemovesPodsOfTheReplicaSet() {
        SimulatedCluster cluster = fleet.cluster("gcp-prod-euw1-1");
        cluster.changes().scale("checkout", "checkout-api", 6);
        KubernetesClient client = cluster.client();
        ReplicaSet rs = client.apps().replicaSets().inNamespace("checkout").list().getItems().stream()
                .filter(r -> r.getMetadata().getName().startsWith("checkout-api-"))
                .findFirst()
                .orElseThrow();
        assertThat(podsOf(client, rs)).hasSize(6);
        assertThat(client.apps()
                        .deployments()
                        .inNamespace("checkout")
                        .withName("checkout-api")
                        .get()
                        .getSpec()
                        .getReplicas())
                .isEqualTo(6);

        cluster.changes().scale("checkout", "checkout-api", 1);
        assertThat(podsOf(client, rs)).hasSize(1);
    }

    private static List<Pod> podsOf(KubernetesClient client, ReplicaSet rs) {
        return client.pods().inNamespace("checkout").list().getItems().stream()
                .filter(p -> p.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> o.getName().equals(rs.getMetadata().getName())))
                .toList();
    }
}
