package io.meridian.fleetsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The simulated kube-controller-manager: what a client sees after it writes a Deployment or StatefulSet. */
class WorkloadControllersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration EVENTUALLY = Duration.ofSeconds(20);

    static Fleet fleet;
    static SimulatedCluster cluster;
    static KubernetesClient client;

    @BeforeAll
    static void start() {
        fleet = Fleet.start(
                FleetOptions.defaults().withClusters(1).withSeed(11).withControllerDelay(Duration.ofMillis(100)));
        cluster = fleet.clusters().getFirst();
        client = cluster.client();
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @Test
    void seededWorkloadsAreLeftAloneAtStart() {
        // A fleet of its own: the other tests here churn and scale this class's cluster.
        try (Fleet own = Fleet.start(
                FleetOptions.defaults().withClusters(1).withSeed(12).withControllerDelay(Duration.ofMillis(100)))) {
            KubernetesClient seeded = own.clusters().getFirst().client();
            Map<String, String> before = versions(seeded);
            assertThat(before).hasSizeGreaterThan(10);
            // Ten controller delays without a write: the seeded status already observed its generation.
            await().during(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(3))
                    .untilAsserted(() -> assertThat(versions(seeded)).isEqualTo(before));
            assertThat(seeded.apps().deployments().inAnyNamespace().list().getItems())
                    .allSatisfy(d -> {
                        assertThat(d.getStatus().getObservedGeneration())
                                .isEqualTo(d.getMetadata().getGeneration());
                        assertThat(d.getStatus().getConditions())
                                .as("no controller wrote its status")
                                .isEmpty();
                        assertThat(d.getMetadata().getManagedFields())
                                .extracting(ManagedFieldsEntry::getManager)
                                .doesNotContain("kube-controller-manager");
                    });
        }
    }

    private static Map<String, String> versions(KubernetesClient client) {
        return java.util.stream.Stream.concat(
                        client.apps().deployments().inAnyNamespace().list().getItems().stream(),
                        client.apps().statefulSets().inAnyNamespace().list().getItems().stream())
                .collect(Collectors.toMap(
                        o -> o.getKind() + " " + o.getMetadata().getNamespace() + "/"
                                + o.getMetadata().getName(),
                        o -> o.getMetadata().getResourceVersion()));
    }

    @Test
    void aDeploymentWrittenThroughTheApiGetsAReplicaSetPodsAndAStatus() {
        String ns = namespace("web-team");
        Deployment created = client.apps()
                .deployments()
                .inNamespace(ns)
                .resource(deployment(ns, "web", "nginx:1.27", 3, null))
                .create();
        assertThat(created.getStatus()).as("no controller has seen it yet").isNull();

        Deployment ready = awaitObserved(ns, "web");
        ReplicaSet first = onlyReplicaSetOf(ns, ready);
        String hash = first.getMetadata().getLabels().get("pod-template-hash");
        assertThat(first.getMetadata().getName()).isEqualTo("web-" + hash);
        assertThat(first.getSpec().getSelector().getMatchLabels()).containsEntry("pod-template-hash", hash);
        assertThat(first.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("Deployment");
            assertThat(o.getUid()).isEqualTo(ready.getMetadata().getUid());
            assertThat(o.getController()).isTrue();
        });
        Set<String> workers = client.nodes().list().getItems().stream()
                .filter(n -> !n.getMetadata().getLabels().containsKey("node-role.meridian.io/system"))
                .map(n -> n.getMetadata().getName())
                .collect(Collectors.toSet());
        assertThat(podsOf(ns, first)).hasSize(3).allSatisfy(p -> {
            assertThat(p.getMetadata().getName()).startsWith("web-" + hash + "-");
            assertThat(p.getMetadata().getLabels()).containsEntry("pod-template-hash", hash);
            assertThat(p.getSpec().getNodeName()).isIn(workers);
            assertThat(p.getStatus().getPhase()).isEqualTo("Running");
            assertThat(PodStates.isReady(p)).isTrue();
        });

        assertThat(ready.getStatus().getObservedGeneration())
                .isEqualTo(ready.getMetadata().getGeneration());
        assertThat(ready.getStatus().getReplicas()).isEqualTo(3);
        assertThat(ready.getStatus().getUpdatedReplicas()).isEqualTo(3);
        assertThat(ready.getStatus().getReadyReplicas()).isEqualTo(3);
        assertThat(ready.getStatus().getAvailableReplicas()).isEqualTo(3);
        DeploymentCondition available = condition(ready, "Available");
        assertThat(available.getStatus()).isEqualTo("True");
        assertThat(available.getReason()).isEqualTo("MinimumReplicasAvailable");
        assertThat(available.getLastTransitionTime()).isNotBlank();
        assertThat(available.getLastUpdateTime()).isNotBlank();
        DeploymentCondition progressing = condition(ready, "Progressing");
        assertThat(progressing.getStatus()).isEqualTo("True");
        assertThat(progressing.getReason()).isEqualTo("NewReplicaSetAvailable");
        assertThat(progressing.getMessage())
                .isEqualTo("ReplicaSet \"" + first.getMetadata().getName() + "\" has successfully progressed.");
        assertThat(ready.getMetadata().getManagedFields())
                .extracting(ManagedFieldsEntry::getManager)
                .contains("kube-controller-manager");

        // A new template: a new ReplicaSet takes over, the old one scales to zero and its pods go.
        client.apps()
                .deployments()
                .inNamespace(ns)
                .withName("web")
                .edit(d -> new DeploymentBuilder(d)
                        .editSpec()
                        .editTemplate()
                        .editSpec()
                        .editFirstContainer()
                        .withImage("nginx:1.28")
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build());
        Deployment rolled = awaitObserved(ns, "web");
        assertThat(rolled.getMetadata().getGeneration())
                .isEqualTo(ready.getMetadata().getGeneration() + 1);
        List<ReplicaSet> sets = replicaSetsOf(ns, rolled);
        assertThat(sets).hasSize(2);
        ReplicaSet second = sets.stream()
                .filter(rs ->
                        !rs.getMetadata().getName().equals(first.getMetadata().getName()))
                .findFirst()
                .orElseThrow();
        await().atMost(EVENTUALLY).untilAsserted(() -> {
            assertThat(podsOf(ns, first)).isEmpty();
            assertThat(podsOf(ns, second))
                    .hasSize(3)
                    .allSatisfy(p -> assertThat(
                                    p.getSpec().getContainers().getFirst().getImage())
                            .isEqualTo("nginx:1.28"));
        });
        ReplicaSet old = client.apps()
                .replicaSets()
                .inNamespace(ns)
                .withName(first.getMetadata().getName())
                .get();
        assertThat(old.getSpec().getReplicas()).isZero();
        assertThat(second.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "2");
        assertThat(rolled.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "2");
        assertThat(condition(rolled, "Available").getLastTransitionTime())
                .as("Available never flipped, so its transition time stays")
                .isEqualTo(available.getLastTransitionTime());
    }

    @Test
    void deploymentsOfOneNamespaceKeepTheirOwnPods() {
        String ns = namespace("selectors");
        client.apps()
                .deployments()
                .inNamespace(ns)
                .resource(deployment(ns, "a", "nginx:1", 2, null))
                .create();
        client.apps()
                .deployments()
                .inNamespace(ns)
                .resource(deployment(ns, "b", "nginx:1", 2, null))
                .create();
        for (String name : List.of("a", "b")) {
            Deployment observed = awaitObserved(ns, name);
            int replicas = observed.getSpec().getReplicas();
            await().atMost(EVENTUALLY)
                    .untilAsserted(() -> assertThat(podsOf(ns, onlyReplicaSetOf(ns, awaitObserved(ns, name))))
                            .hasSize(replicas));
        }
        List<String> podsOfB = podsOf(ns, onlyReplicaSetOf(ns, awaitObserved(ns, "b"))).stream()
                .map(p -> p.getMetadata().getName())
                .toList();

        // A rollout of a retires its own ReplicaSet and leaves b's pods where they are.
        client.apps().deployments().inNamespace(ns).withName("a").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().getFirst().setImage("nginx:2");
            return d;
        });
        await().atMost(EVENTUALLY).untilAsserted(() -> {
            Deployment a = awaitObserved(ns, "a");
            List<ReplicaSet> sets = replicaSetsOf(ns, a);
            assertThat(sets).hasSize(2);
            assertThat(sets.stream().mapToInt(rs -> podsOf(ns, rs).size()).sum())
                    .isEqualTo(2);
            assertThat(sets)
                    .filteredOn(rs -> rs.getSpec().getReplicas() == 2)
                    .singleElement()
                    .satisfies(rs -> assertThat(rs.getSpec()
                                    .getTemplate()
                                    .getSpec()
                                    .getContainers()
                                    .getFirst()
                                    .getImage())
                            .isEqualTo("nginx:2"));
        });
        assertThat(podsOf(ns, onlyReplicaSetOf(ns, awaitObserved(ns, "b"))))
                .extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(podsOfB);
    }

    @Test
    void aStatefulSetGetsOrderedPodsAndRevisions() {
        String ns = namespace("db-team");
        client.apps()
                .statefulSets()
                .inNamespace(ns)
                .resource(new StatefulSetBuilder()
                        .withNewMetadata()
                        .withName("db")
                        .withNamespace(ns)
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(3)
                        .withServiceName("db")
                        .withNewSelector()
                        .addToMatchLabels("app", "db")
                        .endSelector()
                        .withNewTemplate()
                        .withNewMetadata()
                        .addToLabels("app", "db")
                        .endMetadata()
                        .withNewSpec()
                        .addToContainers(new ContainerBuilder()
                                .withName("postgres")
                                .withImage("postgres:17")
                                .build())
                        .endSpec()
                        .endTemplate()
                        .addNewVolumeClaimTemplate()
                        .withNewMetadata()
                        .withName("data")
                        .endMetadata()
                        .withNewSpec()
                        .withAccessModes("ReadWriteOnce")
                        .endSpec()
                        .endVolumeClaimTemplate()
                        .endSpec()
                        .build())
                .create();

        StatefulSet set = await().atMost(EVENTUALLY)
                .until(
                        () -> client.apps()
                                .statefulSets()
                                .inNamespace(ns)
                                .withName("db")
                                .get(),
                        s -> s.getStatus() != null
                                && s.getMetadata()
                                        .getGeneration()
                                        .equals(s.getStatus().getObservedGeneration()));
        List<Pod> pods = client.pods().inNamespace(ns).list().getItems();
        assertThat(pods).extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrder("db-0", "db-1", "db-2");
        String revision = set.getStatus().getUpdateRevision();
        assertThat(revision).startsWith("db-");
        assertThat(pods).allSatisfy(p -> {
            assertThat(p.getMetadata().getLabels()).containsEntry("controller-revision-hash", revision);
            assertThat(p.getMetadata().getOwnerReferences())
                    .extracting(OwnerReference::getUid)
                    .containsExactly(set.getMetadata().getUid());
            assertThat(p.getSpec().getVolumes())
                    .anySatisfy(v -> assertThat(v.getPersistentVolumeClaim().getClaimName())
                            .isEqualTo("data-" + p.getMetadata().getName()));
            assertThat(PodStates.isReady(p)).isTrue();
        });
        assertThat(set.getStatus().getCurrentRevision()).isEqualTo(revision);
        assertThat(set.getStatus().getReplicas()).isEqualTo(3);
        assertThat(set.getStatus().getReadyReplicas()).isEqualTo(3);
        assertThat(set.getStatus().getCurrentReplicas()).isEqualTo(3);
        assertThat(set.getStatus().getUpdatedReplicas()).isEqualTo(3);
        assertThat(set.getStatus().getAvailableReplicas()).isEqualTo(3);
        assertThat(set.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Available");
            assertThat(c.getStatus()).isEqualTo("True");
        });

        // Scaled down as the HPA does: the highest ordinals go.
        cluster.hpaScale(ns, "StatefulSet", "db", 1);
        await().atMost(EVENTUALLY)
                .untilAsserted(
                        () -> assertThat(client.pods().inNamespace(ns).list().getItems())
                                .extracting(p -> p.getMetadata().getName())
                                .containsExactly("db-0"));
    }

    @Test
    void aBrokenImageNeverBecomesAvailableAndMissesItsProgressDeadline() {
        String ns = namespace("broken-team");
        client.apps()
                .deployments()
                .inNamespace(ns)
                .resource(deployment(ns, "api", "registry.example.com/api:broken", 2, 2))
                .create();

        Deployment stuck = awaitObserved(ns, "api");
        assertThat(stuck.getStatus().getAvailableReplicas())
                .as("none available, so omitted")
                .isNull();
        assertThat(stuck.getStatus().getUnavailableReplicas()).isEqualTo(2);
        assertThat(condition(stuck, "Available").getStatus()).isEqualTo("False");
        assertThat(condition(stuck, "Available").getReason()).isEqualTo("MinimumReplicasUnavailable");
        assertThat(condition(stuck, "Progressing").getStatus()).isEqualTo("True");
        List<Pod> pods = podsOf(ns, onlyReplicaSetOf(ns, stuck));
        assertThat(pods).hasSize(2).allSatisfy(p -> {
            assertThat(PodStates.isReady(p)).isFalse();
            assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
            assertThat(p.getStatus()
                            .getContainerStatuses()
                            .getFirst()
                            .getState()
                            .getWaiting()
                            .getReason())
                    .isEqualTo("ImagePullBackOff");
        });

        await().atMost(EVENTUALLY).untilAsserted(() -> {
            Deployment late =
                    client.apps().deployments().inNamespace(ns).withName("api").get();
            DeploymentCondition progressing = condition(late, "Progressing");
            assertThat(progressing.getStatus()).isEqualTo("False");
            assertThat(progressing.getReason()).isEqualTo("ProgressDeadlineExceeded");
            assertThat(condition(late, "Available").getStatus()).isEqualTo("False");
        });
    }

    @Test
    void aRolloutMarkedBrokenCrashLoopsUntilHealed() throws Exception {
        String ns = namespace("flaky-team");
        client.apps()
                .deployments()
                .inNamespace(ns)
                .resource(deployment(ns, "worker", "busybox:1.37", 1, null))
                .create();
        awaitObserved(ns, "worker");
        assertThat(condition(
                                client.apps()
                                        .deployments()
                                        .inNamespace(ns)
                                        .withName("worker")
                                        .get(),
                                "Available")
                        .getStatus())
                .isEqualTo("True");

        Reply marked = call("POST", "/clusters/" + cluster.name() + "/rollouts/broken", """
                {"namespace":"%s","name":"worker","broken":true}""".formatted(ns));
        assertThat(marked.status()).isEqualTo(200);
        assertThat(marked.body()).contains("\"kind\":\"Deployment\"");
        await().atMost(EVENTUALLY).untilAsserted(() -> {
            Deployment d = client.apps()
                    .deployments()
                    .inNamespace(ns)
                    .withName("worker")
                    .get();
            assertThat(condition(d, "Available").getStatus()).isEqualTo("False");
            assertThat(client.pods().inNamespace(ns).list().getItems())
                    .singleElement()
                    .satisfies(p -> {
                        assertThat(PodStates.isReady(p)).isFalse();
                        assertThat(p.getStatus()
                                        .getContainerStatuses()
                                        .getFirst()
                                        .getState()
                                        .getWaiting()
                                        .getReason())
                                .isEqualTo("CrashLoopBackOff");
                    });
        });

        assertThat(call("POST", "/clusters/" + cluster.name() + "/rollouts/broken", """
                {"namespace":"%s","name":"worker","broken":false}""".formatted(ns))
                        .status())
                .isEqualTo(200);
        await().atMost(EVENTUALLY).untilAsserted(() -> {
            Deployment d = client.apps()
                    .deployments()
                    .inNamespace(ns)
                    .withName("worker")
                    .get();
            assertThat(condition(d, "Available").getStatus()).isEqualTo("True");
            assertThat(condition(d, "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
        });
        assertThat(call("POST", "/clusters/" + cluster.name() + "/rollouts/broken", """
                {"namespace":"%s","name":"nope","broken":true}""".formatted(ns))
                        .status())
                .isEqualTo(404);
    }

    @Test
    void statusChurnMakesTheWatchSeeAnUpdateEachTime() throws Exception {
        String ns = namespace("churn-team");
        client.apps()
                .deployments()
                .inNamespace(ns)
                .resource(deployment(ns, "beat", "nginx:1.27", 1, null))
                .create();
        awaitObserved(ns, "beat");
        List<String> heartbeats = new CopyOnWriteArrayList<>();
        try (Watch watch = client.apps().deployments().inNamespace(ns).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Deployment d) {
                if (action == Action.MODIFIED) {
                    heartbeats.add(condition(d, "Progressing").getLastUpdateTime());
                }
            }

            @Override
            public void onClose(WatcherException cause) {}
        })) {
            Reply churn = call("POST", "/clusters/" + cluster.name() + "/status-churn?seconds=0.2", null);
            assertThat(churn.status()).isEqualTo(200);
            await().atMost(EVENTUALLY).until(() -> heartbeats.size() >= 3);
            assertThat(call("POST", "/clusters/" + cluster.name() + "/status-churn?seconds=0", null)
                            .status())
                    .isEqualTo(200);
        }
        // Every beat moved the heartbeat forward, so none of the writes was a no-op.
        List<Instant> times = heartbeats.stream().map(Instant::parse).toList();
        for (int i = 1; i < times.size(); i++) {
            assertThat(times.get(i)).isAfter(times.get(i - 1));
        }
        assertThat(call("POST", "/clusters/" + cluster.name() + "/status-churn", null)
                        .status())
                .isEqualTo(400);
    }

    @Test
    void hpaScaleTakesSpecReplicasAsKubeControllerManagerAndTheControllerFollows() throws Exception {
        Deployment seeded = client.apps().deployments().inNamespace("payments").list().getItems().stream()
                .filter(d -> d.getSpec().getTemplate().getSpec().getContainers().stream()
                        .noneMatch(c -> c.getImage().contains(":broken")))
                .findFirst()
                .orElseThrow();
        String name = seeded.getMetadata().getName();
        ReplicaSet seededSet = onlyReplicaSetOf("payments", seeded);
        int wanted = seeded.getSpec().getReplicas() + 2;

        Reply scaled = call("POST", "/clusters/" + cluster.name() + "/hpa-scale", """
                {"namespace":"payments","kind":"Deployment","name":"%s","replicas":%d}""".formatted(name, wanted));
        assertThat(scaled.status()).isEqualTo(200);
        assertThat(JSON.readTree(scaled.body()).path("replicas").asInt()).isEqualTo(wanted);

        Deployment followed = awaitObserved("payments", name);
        assertThat(followed.getSpec().getReplicas()).isEqualTo(wanted);
        assertThat(followed.getStatus().getReadyReplicas()).isEqualTo(wanted);
        assertThat(followed.getMetadata().getManagedFields()).anySatisfy(entry -> {
            assertThat(entry.getManager()).isEqualTo("kube-controller-manager");
            assertThat(entry.getOperation()).isEqualTo("Update");
            assertThat(JSON.writeValueAsString(entry.getFieldsV1())).contains("f:replicas");
        });
        // The same template: the seeded ReplicaSet is scaled, not replaced.
        assertThat(onlyReplicaSetOf("payments", followed).getMetadata().getUid())
                .isEqualTo(seededSet.getMetadata().getUid());
        await().atMost(EVENTUALLY)
                .untilAsserted(() -> assertThat(podsOf("payments", seededSet)).hasSize(wanted));

        assertThat(call("POST", "/clusters/" + cluster.name() + "/hpa-scale", """
                {"namespace":"payments","kind":"DaemonSet","name":"%s","replicas":1}""".formatted(name))
                        .status())
                .isEqualTo(400);
        assertThat(call("POST", "/clusters/" + cluster.name() + "/hpa-scale", """
                {"namespace":"payments","name":"nope","replicas":1}""")
                        .status())
                .isEqualTo(404);
        assertThat(call("POST", "/clusters/" + cluster.name() + "/hpa-scale", """
                {"namespace":"payments","name":"%s","replicas":-1}""".formatted(name))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void theScaleSubresourceAnswersAndChangesOnlyReplicas() {
        String ns = namespace("scale-team");
        client.apps()
                .deployments()
                .inNamespace(ns)
                .resource(deployment(ns, "api", "nginx:1.27", 1, null))
                .create();
        awaitObserved(ns, "api");
        client.apps().deployments().inNamespace(ns).withName("api").scale(4);
        Deployment scaled = awaitObserved(ns, "api");
        assertThat(scaled.getSpec().getReplicas()).isEqualTo(4);
        assertThat(scaled.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .getFirst()
                        .getImage())
                .isEqualTo("nginx:1.27");
        assertThat(scaled.getStatus().getAvailableReplicas()).isEqualTo(4);
        assertThat(client.apps()
                        .deployments()
                        .inNamespace(ns)
                        .withName("api")
                        .scale()
                        .getSpec()
                        .getReplicas())
                .isEqualTo(4);
    }

    @Test
    void deletingADeploymentCollectsItsReplicaSetsAndPods() {
        String ns = namespace("gc-team");
        client.apps()
                .deployments()
                .inNamespace(ns)
                .resource(deployment(ns, "temp", "nginx:1.27", 2, null))
                .create();
        awaitObserved(ns, "temp");
        assertThat(client.pods().inNamespace(ns).list().getItems()).hasSize(2);
        client.apps().deployments().inNamespace(ns).withName("temp").delete();
        await().atMost(EVENTUALLY).untilAsserted(() -> {
            assertThat(client.pods().inNamespace(ns).list().getItems()).isEmpty();
            assertThat(client.apps().replicaSets().inNamespace(ns).list().getItems())
                    .isEmpty();
        });
    }

    @Test
    void theControlApiExpiresWatchesAndTheCommandLineSetsTheControllerDelay() throws Exception {
        String ns = namespace("watch-team");
        java.util.concurrent.CompletableFuture<WatcherException> closed =
                new java.util.concurrent.CompletableFuture<>();
        try (Watch watch = client.configMaps().inNamespace(ns).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, io.fabric8.kubernetes.api.model.ConfigMap resource) {}

            @Override
            public void onClose(WatcherException cause) {
                closed.complete(cause);
            }
        })) {
            await().atMost(EVENTUALLY).untilAsserted(() -> {
                Reply expired = call("POST", "/clusters/" + cluster.name() + "/expire-watches?seconds=5", null);
                assertThat(expired.status()).isEqualTo(200);
                assertThat(JSON.readTree(expired.body()).path("watchesEnded").asInt())
                        .isPositive();
            });
            assertThat(closed.get(10, java.util.concurrent.TimeUnit.SECONDS).isHttpGone())
                    .isTrue();
        }
        assertThat(call("POST", "/clusters/" + cluster.name() + "/expire-watches?seconds=-1", null)
                        .status())
                .isEqualTo(400);

        assertThat(FleetSimulator.parse(new String[] {"--controller-delay-ms", "250"})
                        .controllerDelay())
                .isEqualTo(Duration.ofMillis(250));
        assertThat(FleetOptions.defaults().controllerDelay()).isEqualTo(Duration.ofSeconds(1));
    }

    // ---- helpers ----

    record Reply(int status, String body) {}

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

    private static String namespace(String name) {
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .build())
                .create();
        return name;
    }

    static Deployment deployment(String ns, String name, String image, int replicas, Integer deadlineSeconds) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withProgressDeadlineSeconds(deadlineSeconds)
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .addToContainers(
                        new ContainerBuilder().withName(name).withImage(image).build())
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** The Deployment once its controller has observed its current generation. */
    private static Deployment awaitObserved(String ns, String name) {
        return await().atMost(EVENTUALLY)
                .until(
                        () -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName(name)
                                .get(),
                        d -> d.getStatus() != null
                                && d.getMetadata()
                                        .getGeneration()
                                        .equals(d.getStatus().getObservedGeneration()));
    }

    private static List<ReplicaSet> replicaSetsOf(String ns, Deployment d) {
        return client.apps().replicaSets().inNamespace(ns).list().getItems().stream()
                .filter(rs -> rs.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> o.getUid().equals(d.getMetadata().getUid())))
                .toList();
    }

    private static ReplicaSet onlyReplicaSetOf(String ns, Deployment d) {
        List<ReplicaSet> sets = replicaSetsOf(ns, d);
        assertThat(sets).hasSize(1);
        return sets.getFirst();
    }

    private static List<Pod> podsOf(String ns, ReplicaSet rs) {
        return client.pods().inNamespace(ns).list().getItems().stream()
                .filter(p -> p.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> o.getUid().equals(rs.getMetadata().getUid())))
                .toList();
    }

    private static DeploymentCondition condition(Deployment d, String type) {
        return d.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " condition in " + d.getStatus()));
    }
}
