package io.meridian.inventory.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.resource.ResourceAmounts;
import io.meridian.contracts.resource.StatusSummary;
import io.meridian.contracts.resource.WorkloadRef;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObservedResourceMapperTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:15:31Z");

    private final ObservedResourceMapper mapper = new ObservedResourceMapper();

    @Test
    void keyIsTheContractKey() {
        ObservedResource pod = map(pod("web-0", Map.of()));
        assertThat(ObservedResourceMapper.key(pod)).isEqualTo(pod.key()).isEqualTo("c1//Pod/shop/web-0");
        ObservedResource deployment = map(new DeploymentBuilder()
                .withNewMetadata()
                .withName("web")
                .withNamespace("shop")
                .endMetadata()
                .build());
        assertThat(ObservedResourceMapper.key(deployment)).isEqualTo("c1/apps/Deployment/shop/web");
    }

    @Test
    void dropsLastAppliedConfigurationAndAnnotationsOverFourKibibytes() {
        String fits = "x".repeat(4096);
        String tooBig = "x".repeat(4097);
        String multiByteTooBig = "é".repeat(2049); // 4098 bytes in UTF-8 but only 2049 characters
        Pod pod = new PodBuilder(pod("web-0", Map.of()))
                .editMetadata()
                .withAnnotations(Map.of(
                        "kubectl.kubernetes.io/last-applied-configuration", "{}",
                        "fits", fits,
                        "too-big", tooBig,
                        "multi-byte", multiByteTooBig,
                        "team", "shop"))
                .endMetadata()
                .build();

        assertThat(map(pod).annotations()).containsOnlyKeys("fits", "team");
    }

    @Test
    @SuppressWarnings("unchecked")
    void carriesTheWholeManifestWithoutManagedFieldsOrLastAppliedConfiguration() {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName("debug")
                .withNamespace("shop")
                .addToAnnotations("kubectl.kubernetes.io/last-applied-configuration", "{}")
                .addToAnnotations("owner", "team-shop")
                .addNewManagedField()
                .withManager("kubectl")
                .endManagedField()
                .endMetadata()
                .withNewSpec()
                .withHostNetwork(true)
                .addNewContainer()
                .withName("shell")
                .withImage("busybox:latest")
                .withNewSecurityContext()
                .withPrivileged(true)
                .endSecurityContext()
                .endContainer()
                .endSpec()
                .build();

        Map<String, Object> manifest = map(pod).object();

        assertThat(manifest).containsEntry("kind", "Pod").containsEntry("apiVersion", "v1");
        Map<String, Object> metadata = (Map<String, Object>) manifest.get("metadata");
        assertThat(metadata).doesNotContainKey("managedFields");
        assertThat((Map<String, Object>) metadata.get("annotations")).containsOnlyKeys("owner");
        Map<String, Object> spec = (Map<String, Object>) manifest.get("spec");
        assertThat(spec).containsEntry("hostNetwork", true);
        Map<String, Object> container = ((java.util.List<Map<String, Object>>) spec.get("containers")).getFirst();
        assertThat((Map<String, Object>) container.get("securityContext")).containsEntry("privileged", true);
    }

    @Test
    void envValuesArePublishedRedactedWithNamesAndReferencesKept() throws Exception {
        var deployment = deploymentWithPassword("shop");

        ObservedResource observed = map(deployment);

        String published = new String(EventJson.write(observed), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(published).doesNotContain("hunter2").doesNotContain("s3cr3t-init");
        Map<String, Object> container = firstContainer(observed.object(), "containers");
        assertThat(envList(container))
                .containsExactly(
                        Map.of("name", "PASSWORD", "value", ObservedResourceMapper.REDACTED),
                        Map.of("name", "EMPTY", "value", ""),
                        Map.of(
                                "name",
                                "DB_URL",
                                "valueFrom",
                                Map.of("secretKeyRef", Map.of("name", "db", "key", "url"))));
        assertThat(envList(firstContainer(observed.object(), "initContainers")))
                .containsExactly(Map.of("name", "INIT_TOKEN", "value", ObservedResourceMapper.REDACTED));
        assertThat(observed.containers()).extracting(c -> c.name()).containsExactly("app");
    }

    @Test
    void envValuesOfARevealedNamespaceArePublishedAsTheyAre() {
        var revealing = new ObservedResourceMapper(java.util.List.of("debug"));

        ObservedResource revealed = revealing.map("c1", deploymentWithPassword("debug"), 1, NOW);
        ObservedResource elsewhere = revealing.map("c1", deploymentWithPassword("shop"), 1, NOW);

        assertThat(envList(firstContainer(revealed.object(), "containers")))
                .contains(Map.of("name", "PASSWORD", "value", "hunter2"));
        assertThat(elsewhere.object().toString()).doesNotContain("hunter2");
    }

    @Test
    void envValuesOfCustomResourcesWithPodTemplatesAreRedactedToo() {
        GenericKubernetesResource rollout = new GenericKubernetesResourceBuilder()
                .withApiVersion("argoproj.io/v1alpha1")
                .withKind("Rollout")
                .withNewMetadata()
                .withName("web")
                .withNamespace("shop")
                .endMetadata()
                .withAdditionalProperties(Map.of(
                        "spec",
                        Map.of(
                                "template",
                                Map.of(
                                        "spec",
                                        Map.of(
                                                "containers",
                                                java.util.List.of(Map.of(
                                                        "name",
                                                        "web",
                                                        "env",
                                                        java.util.List.of(
                                                                Map.of("name", "API_KEY", "value", "ak-123")))))))))
                .build();

        assertThat(map(rollout).object().toString()).doesNotContain("ak-123").contains("API_KEY");
    }

    private static io.fabric8.kubernetes.api.model.apps.Deployment deploymentWithPassword(String namespace) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName("ledger")
                .withNamespace(namespace)
                .endMetadata()
                .withNewSpec()
                .withNewTemplate()
                .withNewSpec()
                .addNewInitContainer()
                .withName("init")
                .withImage("busybox")
                .addNewEnv()
                .withName("INIT_TOKEN")
                .withValue("s3cr3t-init")
                .endEnv()
                .endInitContainer()
                .addNewContainer()
                .withName("app")
                .withImage("ledger:1")
                .addNewEnv()
                .withName("PASSWORD")
                .withValue("hunter2")
                .endEnv()
                .addNewEnv()
                .withName("EMPTY")
                .withValue("")
                .endEnv()
                .addNewEnv()
                .withName("DB_URL")
                .withNewValueFrom()
                .withNewSecretKeyRef()
                .withName("db")
                .withKey("url")
                .endSecretKeyRef()
                .endValueFrom()
                .endEnv()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstContainer(Map<String, Object> manifest, String list) {
        var spec = (Map<String, Object>) manifest.get("spec");
        var template = (Map<String, Object>) spec.get("template");
        var podSpec = (Map<String, Object>) template.get("spec");
        return ((java.util.List<Map<String, Object>>) podSpec.get(list)).getFirst();
    }

    @SuppressWarnings("unchecked")
    private static java.util.List<Map<String, Object>> envList(Map<String, Object> container) {
        return (java.util.List<Map<String, Object>>) container.get("env");
    }

    @Test
    void neverCarriesTheDataOfASecret() {
        var secret = new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("db")
                .withNamespace("shop")
                .endMetadata()
                .addToData("password", "c2VjcmV0")
                .addToStringData("token", "secret")
                .withType("Opaque")
                .build();

        Map<String, Object> manifest = ObservedResourceMapper.manifest(secret);

        assertThat(manifest).doesNotContainKeys("data", "stringData").containsEntry("type", "Opaque");
        assertThat(manifest.toString()).doesNotContain("c2VjcmV0");
    }

    @Test
    void ownerOfAPodWithoutTemplateHashLabelIsFoundByTheShapeOfTheReplicaSetName() {
        assertThat(ownerOf("ReplicaSet", "checkout-7d9f8b6c5d", Map.of()))
                .isEqualTo(new WorkloadRef("Deployment", "checkout"));
        assertThat(ownerOf("ReplicaSet", "my-app-v2-5b8c9f7d4", Map.of()))
                .isEqualTo(new WorkloadRef("Deployment", "my-app-v2"));
    }

    @Test
    void aReplicaSetNotMadeByADeploymentIsTheOwner() {
        assertThat(ownerOf("ReplicaSet", "web-v2", Map.of())).isEqualTo(new WorkloadRef("ReplicaSet", "web-v2"));
        // With a pod-template-hash label, the label decides, not the shape.
        assertThat(ownerOf("ReplicaSet", "web-bcdfgh", Map.of("pod-template-hash", "other")))
                .isEqualTo(new WorkloadRef("ReplicaSet", "web-bcdfgh"));
        assertThat(ownerOf("ReplicaSet", "web-abc12", Map.of("pod-template-hash", "abc12")))
                .isEqualTo(new WorkloadRef("Deployment", "web"));
    }

    @Test
    void aJobNamedLikeACronJobsJobBelongsToTheCronJob() {
        assertThat(ownerOf("Job", "nightly-report-29403360", Map.of()))
                .isEqualTo(new WorkloadRef("CronJob", "nightly-report"));
        assertThat(ownerOf("Job", "db-migrate-2", Map.of())).isEqualTo(new WorkloadRef("Job", "db-migrate-2"));
    }

    @Test
    void statefulSetAndDaemonSetOwnersAreTakenAsTheyAre() {
        assertThat(ownerOf("StatefulSet", "ledger", Map.of())).isEqualTo(new WorkloadRef("StatefulSet", "ledger"));
        assertThat(ownerOf("DaemonSet", "fluent-bit", Map.of())).isEqualTo(new WorkloadRef("DaemonSet", "fluent-bit"));
    }

    @Test
    void theControllerReferenceWinsOverOtherOwners() {
        OwnerReference notController = ref("ConfigMap", "settings", null);
        OwnerReference controller = ref("StatefulSet", "ledger", true);
        Pod pod = new PodBuilder(pod("ledger-0", Map.of()))
                .editMetadata()
                .withOwnerReferences(notController, controller)
                .endMetadata()
                .build();
        assertThat(map(pod).owner()).isEqualTo(new WorkloadRef("StatefulSet", "ledger"));
    }

    @Test
    void anUnreadableQuantityIsReportedAsNotSet() {
        Pod pod = new PodBuilder(pod("web-0", Map.of()))
                .editSpec()
                .addNewContainer()
                .withName("app")
                .withImage("web:1")
                .withNewResources()
                .withRequests(Map.of("cpu", new Quantity("lots"), "memory", new Quantity("1Gi")))
                .endResources()
                .endContainer()
                .endSpec()
                .build();
        assertThat(map(pod).containers().getFirst().requests()).isEqualTo(new ResourceAmounts(null, 1073741824L));
    }

    @Test
    void aPodWithoutStatusHasNoPhaseAndNoRestarts() {
        ObservedResource observed = map(pod("web-0", Map.of()));
        assertThat(observed.status()).isEqualTo(StatusSummary.EMPTY);
        assertThat(observed.owner()).isNull();
    }

    @Test
    void anotherTypedKindKeepsItsMetadataOnly() {
        ObservedResource observed = map(new ConfigMapBuilder()
                .withNewMetadata()
                .withName("settings")
                .withNamespace("shop")
                .withLabels(Map.of("app", "web"))
                .endMetadata()
                .withData(Map.of("key", "value"))
                .build());
        assertThat(observed.apiGroup()).isEmpty();
        assertThat(observed.kind()).isEqualTo("ConfigMap");
        assertThat(observed.labels()).isEqualTo(Map.of("app", "web"));
        assertThat(observed.status()).isEqualTo(StatusSummary.EMPTY);
        assertThat(observed.containers()).isEmpty();
    }

    @Test
    void aGenericResourceWithoutStatusHasAnEmptyStatus() {
        GenericKubernetesResource resource = new GenericKubernetesResourceBuilder()
                .withApiVersion("example.com/v1")
                .withKind("Widget")
                .withNewMetadata()
                .withName("w")
                .endMetadata()
                .build();
        ObservedResource observed = map(resource);
        assertThat(observed.apiGroup()).isEqualTo("example.com");
        assertThat(observed.namespace()).isNull();
        assertThat(observed.status()).isEqualTo(StatusSummary.EMPTY);
    }

    private WorkloadRef ownerOf(String kind, String name, Map<String, String> labels) {
        Pod pod = new PodBuilder(pod("p", labels))
                .editMetadata()
                .withOwnerReferences(ref(kind, name, true))
                .endMetadata()
                .build();
        return map(pod).owner();
    }

    private static OwnerReference ref(String kind, String name, Boolean controller) {
        return new OwnerReferenceBuilder()
                .withApiVersion("apps/v1")
                .withKind(kind)
                .withName(name)
                .withUid("uid-" + name)
                .withController(controller)
                .build();
    }

    private static Pod pod(String name, Map<String, String> labels) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("shop")
                .withUid("uid-" + name)
                .withResourceVersion("1")
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .endSpec()
                .build();
    }

    private ObservedResource map(HasMetadata object) {
        return mapper.map("c1", object, 1, NOW);
    }
}
