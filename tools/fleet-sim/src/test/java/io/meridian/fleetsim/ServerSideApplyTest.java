package io.meridian.fleetsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Server-side apply and managedFields, through a fabric8 client against one simulated API server. */
class ServerSideApplyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String MERIDIAN = "meridian-identity";
    private static final AtomicInteger NAMES = new AtomicInteger();

    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
    static TestApiServer server;
    static ApiServer api;
    static KubernetesClient client;

    @BeforeAll
    static void start() {
        server = TestApiServer.start(CLOCK, Cloud.AWS);
        api = server.api();
        client = server.client();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anApplyOfAnAbsentObjectCreatesItAndRecordsTheFieldsItSets() {
        String ns = namespace();
        Deployment created = apply(deployment(ns, "web", 2, "registry.example/web:1.0"), MERIDIAN);

        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(created.getMetadata().getCreationTimestamp())
                .isEqualTo(CLOCK.instant().toString());
        assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
        assertThat(created.getMetadata().getNamespace()).isEqualTo(ns);
        assertThat(created.getMetadata().getManagedFields()).singleElement().satisfies(entry -> {
            assertThat(entry.getManager()).isEqualTo(MERIDIAN);
            assertThat(entry.getOperation()).isEqualTo("Apply");
            assertThat(entry.getApiVersion()).isEqualTo("apps/v1");
            assertThat(entry.getFieldsType()).isEqualTo("FieldsV1");
            assertThat(entry.getTime()).isEqualTo("2026-11-24T10:00:00Z");
            assertThat(entry.getSubresource()).isNull();
            // Labels are a map, the selector is atomic, containers and ports are list-maps; a port's defaulted
            // protocol is part of its key; no defaulted field is owned.
            assertThat(fieldsV1(entry))
                    .isEqualTo(
                            Map.of(
                                    "f:metadata", Map.of("f:labels", Map.of("f:app", Map.of())),
                                    "f:spec",
                                            Map.of(
                                                    "f:replicas", Map.of(),
                                                    "f:selector", Map.of(),
                                                    "f:template",
                                                            Map.of(
                                                                    "f:metadata",
                                                                            Map.of(
                                                                                    "f:labels",
                                                                                    Map.of("f:app", Map.of())),
                                                                    "f:spec",
                                                                            Map.of(
                                                                                    "f:containers",
                                                                                    Map.of(
                                                                                            "k:{\"name\":\"app\"}",
                                                                                            Map.of(
                                                                                                    ".", Map.of(),
                                                                                                    "f:image", Map.of(),
                                                                                                    "f:name", Map.of(),
                                                                                                    "f:ports",
                                                                                                            Map.of(
                                                                                                                    "k:{\"containerPort\":8080,\"protocol\":\"TCP\"}",
                                                                                                                    Map
                                                                                                                            .of(
                                                                                                                                    ".",
                                                                                                                                    Map
                                                                                                                                            .of(),
                                                                                                                                    "f:containerPort",
                                                                                                                                    Map
                                                                                                                                            .of())))))))));
        });
        assertThat(client.apps()
                        .deployments()
                        .inNamespace(ns)
                        .withName("web")
                        .get()
                        .getSpec()
                        .getReplicas())
                .isEqualTo(2);
    }

    @Test
    void applyAnswers201WhenItCreatesAnd200WhenItUpdatesAndTakesYaml() throws Exception {
        String ns = namespace();
        String path = "/api/v1/namespaces/" + ns + "/configmaps/settings?fieldManager=" + MERIDIAN;
        String yaml = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                data:
                  mode: fast
                """;

        assertThat(rawApply(path, yaml).statusCode()).isEqualTo(201);
        HttpResponse<String> again = rawApply(path, yaml.replace("fast", "slow"));

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(client.configMaps()
                        .inNamespace(ns)
                        .withName("settings")
                        .get()
                        .getData())
                .containsEntry("mode", "slow");
        assertThat(rawApply("/api/v1/namespaces/" + ns + "/configmaps/settings", yaml)
                        .statusCode())
                .as("an apply without fieldManager")
                .isEqualTo(400);
    }

    @Test
    void reapplyingTheSameConfigurationChangesNothingAndSendsNoWatchEvent() {
        String ns = namespace();
        List<String> events = new CopyOnWriteArrayList<>();
        // Watching before the first apply: its ADDED is then an event of the watch, not one of the initial state a
        // watch opened later replays, which a loaded machine once failed to deliver within the wait.
        try (Watch ignored = client.apps().deployments().inNamespace(ns).watch(recording(events))) {
            Deployment first = apply(deployment(ns, "api", 2, "registry.example/api:1.0"), MERIDIAN);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> events.contains("ADDED " + first.getMetadata().getResourceVersion()));
            CLOCK.advance(Duration.ofMinutes(5));
            Deployment second = apply(deployment(ns, "api", 2, "registry.example/api:1.0"), MERIDIAN);

            assertThat(second.getMetadata().getResourceVersion())
                    .isEqualTo(first.getMetadata().getResourceVersion());
            assertThat(second.getMetadata().getManagedFields().getFirst().getTime())
                    .isEqualTo(first.getMetadata().getManagedFields().getFirst().getTime());

            Deployment third = apply(deployment(ns, "api", 3, "registry.example/api:1.0"), MERIDIAN);
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            events.contains("MODIFIED " + third.getMetadata().getResourceVersion()));
            // The unchanged apply came between the two, so its event would have arrived first.
            assertThat(events).filteredOn(e -> e.startsWith("MODIFIED")).hasSize(1);
            assertThat(third.getMetadata().getManagedFields().getFirst().getTime())
                    .isEqualTo("2026-11-24T10:05:00Z");
        }
    }

    @Test
    void anApplyThatNoLongerSendsAFieldRemovesItUnlessAnotherManagerOwnsIt() {
        String ns = namespace();
        apply(configMap(ns, "flags", Map.of("a", "1", "b", "2", "c", "3"), Map.of("team", "id")), MERIDIAN);
        apply(configMap(ns, "flags", Map.of("c", "3"), Map.of()), "ops-tool");

        ConfigMap after = apply(configMap(ns, "flags", Map.of("a", "1"), Map.of()), MERIDIAN);

        assertThat(after.getData()).containsOnlyKeys("a", "c");
        assertThat(after.getMetadata().getLabels()).isNullOrEmpty();
        assertThat(fieldsV1(entry(after, MERIDIAN, "Apply"))).isEqualTo(Map.of("f:data", Map.of("f:a", Map.of())));
        assertThat(fieldsV1(entry(after, "ops-tool", "Apply"))).isEqualTo(Map.of("f:data", Map.of("f:c", Map.of())));
    }

    @Test
    void containersMergeByNameSoAnotherManagersSidecarStays() {
        String ns = namespace();
        apply(deployment(ns, "shop", 2, "registry.example/shop:1.0"), MERIDIAN);
        Deployment sidecar = new DeploymentBuilder()
                .withNewMetadata()
                .withName("shop")
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .withNewTemplate()
                .withNewSpec()
                .addNewContainer()
                .withName("istio-proxy")
                .withImage("docker.io/istio/proxyv2:1.23.2")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        apply(sidecar, "istio-injector");

        Deployment updated = apply(deployment(ns, "shop", 2, "registry.example/shop:1.1"), MERIDIAN);

        assertThat(updated.getSpec().getTemplate().getSpec().getContainers())
                .extracting(c -> c.getName() + "=" + c.getImage())
                .containsExactly("app=registry.example/shop:1.1", "istio-proxy=docker.io/istio/proxyv2:1.23.2");
        assertThat(updated.getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void anApplyChangingAFieldAnotherManagerOwnsIsRefusedWithTheConflicts() {
        String ns = namespace();
        apply(deployment(ns, "checkout", 2, "registry.example/checkout:1.0"), MERIDIAN);
        Deployment scaled = client.apps()
                .deployments()
                .inNamespace(ns)
                .withName("checkout")
                .patch(mergePatchBy("kube-controller-manager"), "{\"spec\":{\"replicas\":5}}");

        assertThatThrownBy(() -> apply(deployment(ns, "checkout", 3, "registry.example/checkout:1.0"), MERIDIAN))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
                    assertThat(e.getStatus().getStatus()).isEqualTo("Failure");
                    assertThat(e.getStatus().getMessage())
                            .isEqualTo("Apply failed with 1 conflict: conflict with \"kube-controller-manager\" using"
                                    + " apps/v1: .spec.replicas");
                    assertThat(e.getStatus().getDetails().getCauses())
                            .singleElement()
                            .satisfies(cause -> assertCause(
                                    cause,
                                    "conflict with \"kube-controller-manager\" using apps/v1",
                                    ".spec.replicas"));
                });
        Deployment live =
                client.apps().deployments().inNamespace(ns).withName("checkout").get();
        assertThat(live.getSpec().getReplicas()).isEqualTo(5);
        assertThat(live.getMetadata().getResourceVersion())
                .isEqualTo(scaled.getMetadata().getResourceVersion());
    }

    @Test
    void aForcedApplyTakesTheFieldAndTheOtherManagerLosesIt() {
        String ns = namespace();
        apply(deployment(ns, "payments", 2, "registry.example/payments:1.0"), MERIDIAN);
        client.apps()
                .deployments()
                .inNamespace(ns)
                .withName("payments")
                .patch(mergePatchBy("kube-controller-manager"), "{\"spec\":{\"replicas\":5}}");

        Deployment forced = client.resource(deployment(ns, "payments", 3, "registry.example/payments:1.0"))
                .fieldManager(MERIDIAN)
                .forceConflicts()
                .serverSideApply();

        assertThat(forced.getSpec().getReplicas()).isEqualTo(3);
        assertThat(forced.getMetadata().getManagedFields())
                .extracting(ManagedFieldsEntry::getManager)
                .containsExactly(MERIDIAN);
        assertThat(fieldsV1(entry(forced, MERIDIAN, "Apply")).get("f:spec"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsKey("f:replicas");
    }

    @Test
    void anUpdateByAnotherManagerTakesTheFieldsItChanges() {
        String ns = namespace();
        apply(configMap(ns, "limits", Map.of("max", "10", "min", "1"), Map.of()), MERIDIAN);

        ConfigMap edited = client.configMaps()
                .inNamespace(ns)
                .withName("limits")
                .patch(mergePatchBy("kubectl-edit"), "{\"data\":{\"max\":\"20\"}}");

        ManagedFieldsEntry edit = entry(edited, "kubectl-edit", "Update");
        assertThat(edit.getApiVersion()).isEqualTo("v1");
        assertThat(fieldsV1(edit)).isEqualTo(Map.of("f:data", Map.of("f:max", Map.of())));
        assertThat(fieldsV1(entry(edited, MERIDIAN, "Apply"))).isEqualTo(Map.of("f:data", Map.of("f:min", Map.of())));
        assertThatThrownBy(() -> apply(configMap(ns, "limits", Map.of("max", "10", "min", "1"), Map.of()), MERIDIAN))
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getStatus().getDetails().getCauses())
                                .singleElement()
                                .satisfies(cause ->
                                        assertCause(cause, "conflict with \"kubectl-edit\" using v1", ".data.max")));
    }

    @Test
    void aReplaceWithAStaleResourceVersionIsRefusedAndAnUnchangedOneKeepsTheVersion() {
        String ns = namespace();
        ConfigMap created = client.configMaps()
                .inNamespace(ns)
                .resource(configMap(ns, "stale", Map.of("k", "v"), Map.of()))
                .create();
        ConfigMap same = client.configMaps().inNamespace(ns).resource(created).update();
        assertThat(same.getMetadata().getResourceVersion())
                .isEqualTo(created.getMetadata().getResourceVersion());

        ConfigMap changed = new ConfigMapBuilder(created).addToData("k", "w").build();
        client.configMaps().inNamespace(ns).resource(changed).update();
        ConfigMap stale = new ConfigMapBuilder(created).addToData("k", "x").build();

        assertThatThrownBy(() ->
                        client.configMaps().inNamespace(ns).resource(stale).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
                    assertThat(e.getStatus().getMessage())
                            .isEqualTo("Operation cannot be fulfilled on configmaps \"stale\": the object has been"
                                    + " modified; please apply your changes to the latest version and try again");
                });
        assertThat(client.configMaps().inNamespace(ns).withName("stale").get().getData())
                .containsEntry("k", "w");
    }

    @Test
    void anApplyCarryingAStaleResourceVersionOrManagedFieldsIsRefused() {
        String ns = namespace();
        ConfigMap first = apply(configMap(ns, "guarded", Map.of("k", "1"), Map.of()), MERIDIAN);
        apply(configMap(ns, "guarded", Map.of("k", "2"), Map.of()), MERIDIAN);

        ConfigMap stale = configMap(ns, "guarded", Map.of("k", "3"), Map.of());
        stale.getMetadata().setResourceVersion(first.getMetadata().getResourceVersion());
        assertThatThrownBy(() -> apply(stale, MERIDIAN))
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(409));
        // An object read back from the server carries managedFields, which an apply must not.
        ConfigMap read = client.configMaps().inNamespace(ns).withName("guarded").get();
        read.getMetadata().setResourceVersion(null);
        assertThatThrownBy(() -> apply(read, MERIDIAN)).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(400);
            assertThat(e.getStatus().getMessage()).isEqualTo("metadata.managedFields must be nil");
        });
        assertThat(client.configMaps().inNamespace(ns).withName("guarded").get().getData())
                .containsEntry("k", "2");
    }

    @Test
    void aStatusWriteIsRecordedForTheStatusSubresourceAndLeavesSpecAndGenerationAlone() {
        String ns = namespace();
        Deployment applied = apply(deployment(ns, "ledger", 2, "registry.example/ledger:1.0"), MERIDIAN);
        Deployment withStatus = new DeploymentBuilder(client.apps()
                        .deployments()
                        .inNamespace(ns)
                        .withName("ledger")
                        .get())
                .editSpec()
                .withReplicas(9)
                .endSpec()
                .withStatus(new DeploymentStatusBuilder()
                        .withReplicas(2)
                        .withReadyReplicas(2)
                        .withObservedGeneration(1L)
                        .build())
                .build();

        Deployment updated =
                client.apps().deployments().inNamespace(ns).resource(withStatus).updateStatus();

        assertThat(updated.getStatus().getReadyReplicas()).isEqualTo(2);
        assertThat(updated.getSpec().getReplicas())
                .as("spec sent to /status is ignored")
                .isEqualTo(2);
        assertThat(updated.getMetadata().getGeneration())
                .isEqualTo(applied.getMetadata().getGeneration());
        ManagedFieldsEntry status = entry(updated, "fabric8-kubernetes-client", "Update");
        assertThat(status.getSubresource()).isEqualTo("status");
        assertThat(fieldsV1(status))
                .isEqualTo(Map.of(
                        "f:status",
                        Map.of(
                                "f:observedGeneration", Map.of(),
                                "f:readyReplicas", Map.of(),
                                "f:replicas", Map.of())));
    }

    @Test
    void anApplyToTheStatusSubresourceMergesConditionsByType() throws Exception {
        String ns = namespace();
        apply(deployment(ns, "queue", 1, "registry.example/queue:1.0"), MERIDIAN);
        String path = "/apis/apps/v1/namespaces/" + ns + "/deployments/queue/status?fieldManager=";
        String available = """
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"queue"},
                 "status":{"conditions":[{"type":"Available","status":"True"}]}}""";
        String progressing = """
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"queue"},
                 "status":{"conditions":[{"type":"Progressing","status":"True"}]}}""";

        assertThat(rawApply(path + "kube-controller-manager", available).statusCode())
                .isEqualTo(200);
        assertThat(rawApply(path + "rollout-watcher", progressing).statusCode()).isEqualTo(200);

        Deployment live =
                client.apps().deployments().inNamespace(ns).withName("queue").get();
        assertThat(live.getStatus().getConditions())
                .extracting(c -> c.getType())
                .containsExactly("Available", "Progressing");
        assertThat(entry(live, "rollout-watcher", "Apply").getSubresource()).isEqualTo("status");
        assertThat(fieldsV1(entry(live, "rollout-watcher", "Apply")))
                .isEqualTo(Map.of(
                        "f:status",
                        Map.of(
                                "f:conditions",
                                Map.of(
                                        "k:{\"type\":\"Progressing\"}",
                                        Map.of(".", Map.of(), "f:status", Map.of(), "f:type", Map.of())))));
    }

    @Test
    void generationMovesWithTheSpecOnly() {
        String ns = namespace();
        Deployment created = apply(deployment(ns, "gen", 1, "registry.example/gen:1.0"), MERIDIAN);
        Deployment relabelled = client.apps()
                .deployments()
                .inNamespace(ns)
                .withName("gen")
                .patch(mergePatchBy("kubectl-label"), "{\"metadata\":{\"labels\":{\"tier\":\"web\"}}}");
        Deployment rescaled = client.apps()
                .deployments()
                .inNamespace(ns)
                .withName("gen")
                .patch(mergePatchBy("kubectl-scale"), "{\"spec\":{\"replicas\":4}}");

        assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
        assertThat(relabelled.getMetadata().getGeneration()).isEqualTo(1L);
        assertThat(relabelled.getMetadata().getResourceVersion())
                .isNotEqualTo(created.getMetadata().getResourceVersion());
        assertThat(rescaled.getMetadata().getGeneration()).isEqualTo(2L);
    }

    // ---- helpers ----

    private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T apply(T object, String manager) {
        return client.resource(object).fieldManager(manager).serverSideApply();
    }

    private static PatchContext mergePatchBy(String manager) {
        return new PatchContext.Builder()
                .withPatchType(PatchType.JSON_MERGE)
                .withFieldManager(manager)
                .build();
    }

    private static HttpResponse<String> rawApply(String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.url() + path))
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/apply-patch+yaml")
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static Deployment deployment(String ns, String name, int replicas, String image) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage(image)
                .addNewPort()
                .withContainerPort(8080)
                .endPort()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static ConfigMap configMap(String ns, String name, Map<String, String> data, Map<String, String> labels) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .withLabels(labels.isEmpty() ? null : labels)
                .endMetadata()
                .withData(data)
                .build();
    }

    private static ManagedFieldsEntry entry(
            io.fabric8.kubernetes.api.model.HasMetadata object, String manager, String operation) {
        return object.getMetadata().getManagedFields().stream()
                .filter(e -> e.getManager().equals(manager) && e.getOperation().equals(operation))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + operation + " entry of " + manager + " in "
                        + object.getMetadata().getManagedFields()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fieldsV1(ManagedFieldsEntry entry) {
        return JSON.convertValue(entry.getFieldsV1().getAdditionalProperties(), Map.class);
    }

    private static void assertCause(StatusCause cause, String message, String field) {
        assertThat(cause.getReason()).isEqualTo("FieldManagerConflict");
        assertThat(cause.getMessage()).isEqualTo(message);
        assertThat(cause.getField()).isEqualTo(field);
    }

    private static Watcher<Deployment> recording(List<String> events) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, Deployment resource) {
                events.add(action + " " + resource.getMetadata().getResourceVersion());
            }

            @Override
            public void onClose(WatcherException cause) {}
        };
    }

    private static String namespace() {
        return "ssa-" + NAMES.incrementAndGet();
    }
}
