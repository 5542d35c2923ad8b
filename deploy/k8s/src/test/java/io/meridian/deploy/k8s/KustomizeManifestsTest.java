package io.meridian.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.meridian.contracts.Topic;
import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Renders deploy/k8s (base and the dev overlay) with {@code kubectl kustomize}, parses every object with fabric8,
 * applies it to a mock API server and reads it back, then checks what an operator of Meridian relies on.
 * {@link ServicePortsTest} checks the services' ports and probes against their configuration.
 */
@EnableKubernetesMockClient(crud = true)
class KustomizeManifestsTest {

    private static final Path BASE = Path.of("base");
    private static final Path DEV = Path.of("overlays", "dev");
    private static final Path LOCAL_REALM = Path.of("..", "keycloak", "meridian-realm.json");
    private static final List<String> SERVICES =
            List.of("inventory", "identity", "policy", "cost", "observability", "placement");

    /** The custom resources the manifests may use; any other kind is a mistake. */
    private static final Map<String, CustomResourceDefinitionContext> CUSTOM_RESOURCES = Map.of(
            "kafka.strimzi.io/v1beta2/Kafka", crd("kafka.strimzi.io", "v1beta2", "Kafka", "kafkas"),
            "kafka.strimzi.io/v1beta2/KafkaNodePool",
                    crd("kafka.strimzi.io", "v1beta2", "KafkaNodePool", "kafkanodepools"),
            "kafka.strimzi.io/v1beta2/KafkaTopic", crd("kafka.strimzi.io", "v1beta2", "KafkaTopic", "kafkatopics"),
            "kafka.strimzi.io/v1beta2/KafkaUser", crd("kafka.strimzi.io", "v1beta2", "KafkaUser", "kafkausers"),
            "postgresql.cnpg.io/v1/Cluster", crd("postgresql.cnpg.io", "v1", "Cluster", "clusters"),
            "k8s.keycloak.org/v2alpha1/Keycloak", crd("k8s.keycloak.org", "v2alpha1", "Keycloak", "keycloaks"),
            "k8s.keycloak.org/v2alpha1/KeycloakRealmImport",
                    crd("k8s.keycloak.org", "v2alpha1", "KeycloakRealmImport", "keycloakrealmimports"));

    static KubernetesClient client;
    static KubernetesMockServer server;

    private static final KustomizeRenderer RENDERER = new KustomizeRenderer();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void registerCustomResources() {
        CUSTOM_RESOURCES.values().forEach(server::expectCustomResource);
    }

    @Test
    void baseRendersAndEveryObjectIsAcceptedByTheApiServer() {
        List<HasMetadata> objects = applyAndReadBack(BASE);

        assertThat(kinds(objects))
                .contains(
                        "Namespace",
                        "Deployment",
                        "Service",
                        "ServiceAccount",
                        "ConfigMap",
                        "Kafka",
                        "KafkaNodePool",
                        "KafkaTopic",
                        "KafkaUser",
                        "NetworkPolicy",
                        "Cluster",
                        "Keycloak",
                        "KeycloakRealmImport");
        assertThat(objects)
                .filteredOn(o -> !(o instanceof Namespace))
                .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("meridian"));
        assertThat(objects)
                .allSatisfy(o ->
                        assertThat(o.getMetadata().getLabels()).containsEntry("app.kubernetes.io/part-of", "meridian"));
    }

    @Test
    void devOverlayRendersAndEveryObjectIsAcceptedByTheApiServer() {
        List<HasMetadata> objects = applyAndReadBack(DEV);

        assertThat(objects)
                .filteredOn(o -> o instanceof Namespace)
                .singleElement()
                .satisfies(ns -> assertThat(ns.getMetadata().getName()).isEqualTo("meridian-dev"));
        assertThat(objects)
                .filteredOn(o -> !(o instanceof Namespace))
                .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("meridian-dev"));
        assertThat(objects)
                .allSatisfy(
                        o -> assertThat(o.getMetadata().getLabels()).containsEntry("meridian.io/environment", "dev"));
    }

    @Test
    void everyDeploymentIsProbedBoundedAndRunsAsNonRootOnAReadOnlyFilesystem() {
        for (Path kustomization : List.of(BASE, DEV)) {
            List<Deployment> deployments = parse(kustomization).stream()
                    .filter(Deployment.class::isInstance)
                    .map(Deployment.class::cast)
                    .toList();
            assertThat(deployments)
                    .extracting(d -> d.getMetadata().getName())
                    .containsExactlyInAnyOrderElementsOf(
                            SERVICES.stream().map(s -> "meridian-" + s).toList());
            for (Deployment deployment : deployments) {
                String service = deployment.getMetadata().getName().substring("meridian-".length());
                PodSpec pod = deployment.getSpec().getTemplate().getSpec();
                assertThat(pod.getContainers())
                        .as(kustomization + " " + service)
                        .hasSize(1);
                Container container = pod.getContainers().getFirst();
                assertThat(container.getImage()).isEqualTo("ghcr.io/meridian-fleet/" + service + ":0.1.0");
                assertHttpProbe(container.getLivenessProbe(), "/q/health/live");
                assertHttpProbe(container.getReadinessProbe(), "/q/health/ready");
                assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
                assertThat(container.getResources().getLimits()).containsKey("memory");
                assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
                assertThat(container.getSecurityContext().getRunAsNonRoot()).isTrue();
                assertThat(container.getSecurityContext().getReadOnlyRootFilesystem())
                        .isTrue();
                assertThat(container.getVolumeMounts())
                        .as("Quarkus needs a writable /tmp on a read-only root filesystem")
                        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
                assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                        .containsEntry("prometheus.io/scrape", "true")
                        .containsEntry("prometheus.io/path", "/q/metrics");
                assertThat(secretRefs(container).keySet())
                        .contains(
                                "meridian-" + service + "-db/password", "meridian-" + service + "-oidc/client-secret");
            }
        }
    }

    @Test
    void onlyInventoryAndObservabilityGetTheirEncryptionKeys() {
        List<Deployment> deployments = parse(BASE).stream()
                .filter(Deployment.class::isInstance)
                .map(Deployment.class::cast)
                .toList();
        for (Deployment deployment : deployments) {
            Set<String> refs = secretRefs(deployment
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .getFirst())
                    .keySet();
            if (deployment.getMetadata().getName().equals("meridian-inventory")) {
                assertThat(refs).contains("meridian-inventory-credentials/encryption-key");
            } else {
                assertThat(refs).noneMatch(r -> r.startsWith("meridian-inventory-credentials/"));
            }
            // Receiver secrets (webhook URLs, routing keys, SMTP passwords) are observability's alone.
            if (deployment.getMetadata().getName().equals("meridian-observability")) {
                assertThat(refs).contains("meridian-observability-notifications/encryption-key");
            } else {
                assertThat(refs).noneMatch(r -> r.startsWith("meridian-observability-notifications/"));
            }
        }
    }

    @Test
    void everyTopicOfTheCatalogAndItsDeadLetterTopicHasAKafkaTopic() {
        Map<String, JsonNode> topics = new TreeMap<>();
        for (ObjectNode object : RENDERER.render(BASE)) {
            if (object.get("kind").asText().equals("KafkaTopic")) {
                assertThat(object.at("/metadata/labels/strimzi.io~1cluster").asText())
                        .isEqualTo("meridian");
                assertThat(object.at("/metadata/name").asText()).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
                topics.put(object.at("/spec/topicName").asText(), object.get("spec"));
            }
        }

        Set<String> expected = new TreeSet<>();
        for (Topic topic : Topic.values()) {
            expected.add(topic.topicName());
            expected.add(topic.deadLetterTopicName());

            JsonNode spec = topics.get(topic.topicName());
            assertThat(spec).as(topic.topicName()).isNotNull();
            assertThat(spec.path("partitions").asInt()).as(topic.topicName()).isEqualTo(topic.partitions());
            JsonNode config = spec.path("config");
            if (topic.compacted()) {
                assertThat(config.path("cleanup.policy").asText())
                        .as(topic.topicName())
                        .isEqualTo("compact");
            } else {
                assertThat(config.path("cleanup.policy").asText())
                        .as(topic.topicName())
                        .isEqualTo("delete");
                assertThat(config.path("retention.ms").asLong())
                        .as(topic.topicName())
                        .isEqualTo(topic.retention().orElseThrow().toMillis());
            }

            JsonNode dlq = topics.get(topic.deadLetterTopicName());
            assertThat(dlq).as(topic.deadLetterTopicName()).isNotNull();
            assertThat(dlq.at("/config/cleanup.policy").asText()).isEqualTo("delete");
            assertThat(dlq.at("/config/retention.ms").asLong()).isEqualTo(Topic.DEAD_LETTER_RETENTION.toMillis());
        }
        assertThat(topics.keySet()).as("no KafkaTopic outside the catalog").isEqualTo(expected);
    }

    @Test
    void everyServiceHasADatabaseRoleWithItsPasswordAndTheSchemaItMigrates() throws Exception {
        Map<String, ObjectNode> base = byId(RENDERER.render(BASE));
        JsonNode cluster = base.get("postgresql.cnpg.io/Cluster/meridian-db").get("spec");
        List<String> initSql = new ArrayList<>();
        cluster.at("/bootstrap/initdb/postInitApplicationSQL").forEach(sql -> initSql.add(sql.asText()));
        Map<String, String> rolePasswords = new HashMap<>();
        cluster.at("/managed/roles")
                .forEach(role -> rolePasswords.put(
                        role.path("name").asText(),
                        role.at("/passwordSecret/name").asText()));

        for (String service : SERVICES) {
            // The schema the service migrates and searches (meridian.db.schema), which its role owns and nobody else.
            Properties application = new Properties();
            try (var reader = Files.newBufferedReader(
                    Path.of("..", "..", "services", service, "src", "main", "resources", "application.properties"))) {
                application.load(reader);
            }
            String schema = application.getProperty("meridian.db.schema");
            assertThat(schema).as(service + " meridian.db.schema").isEqualTo(service);
            assertThat(initSql)
                    .as(service + ": role and schema made when the database is created")
                    .containsSubsequence(
                            "CREATE ROLE " + service + " LOGIN",
                            "ALTER ROLE " + service + " SET search_path = " + schema,
                            "CREATE SCHEMA " + schema + " AUTHORIZATION " + service);
            assertThat(rolePasswords)
                    .as(service + ": CloudNativePG keeps the role's password from the service's db Secret")
                    .containsEntry(service, "meridian-" + service + "-db");
            assertThat(base.get("/ConfigMap/meridian-" + service + "-config")
                            .at("/data/QUARKUS_DATASOURCE_USERNAME")
                            .asText())
                    .isEqualTo(service);
        }
    }

    @Test
    void devOverlayRunsOneOfEverythingWithSmallerRequests() {
        Map<String, ObjectNode> base = byId(RENDERER.render(BASE));
        Map<String, ObjectNode> dev = byId(RENDERER.render(DEV));

        for (String service : SERVICES) {
            ObjectNode deployment = dev.get("apps/Deployment/meridian-" + service);
            assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(1);
            JsonNode devContainer = deployment.at("/spec/template/spec/containers/0");
            JsonNode baseContainer =
                    base.get("apps/Deployment/meridian-" + service).at("/spec/template/spec/containers/0");
            assertThat(quantityMi(devContainer.at("/resources/requests/memory").asText()))
                    .isLessThan(quantityMi(
                            baseContainer.at("/resources/requests/memory").asText()));
            // The patch merges into the container by name: probes, env and mounts of base survive.
            assertThat(devContainer.get("livenessProbe")).isEqualTo(baseContainer.get("livenessProbe"));
            assertThat(devContainer.get("env")).isEqualTo(baseContainer.get("env"));
            assertThat(devContainer.get("volumeMounts")).isEqualTo(baseContainer.get("volumeMounts"));
        }
        assertThat(dev.get("kafka.strimzi.io/KafkaNodePool/dual")
                        .at("/spec/replicas")
                        .asInt())
                .isEqualTo(1);
        JsonNode kafkaConfig = dev.get("kafka.strimzi.io/Kafka/meridian").at("/spec/kafka/config");
        assertThat(kafkaConfig.path("default.replication.factor").asInt()).isEqualTo(1);
        assertThat(kafkaConfig.path("offsets.topic.replication.factor").asInt()).isEqualTo(1);
        assertThat(kafkaConfig.path("min.insync.replicas").asInt()).isEqualTo(1);
        assertThat(dev.get("kafka.strimzi.io/Kafka/meridian").at("/spec/kafka/listeners"))
                .isEqualTo(base.get("kafka.strimzi.io/Kafka/meridian").at("/spec/kafka/listeners"));
        assertThat(dev.get("postgresql.cnpg.io/Cluster/meridian-db")
                        .at("/spec/instances")
                        .asInt())
                .isEqualTo(1);
        JsonNode keycloak =
                dev.get("k8s.keycloak.org/Keycloak/meridian-keycloak").get("spec");
        assertThat(keycloak.path("instances").asInt()).isEqualTo(1);
        assertThat(keycloak.at("/hostname/strict").asBoolean(true)).isFalse();
        assertThat(keycloak.at("/hostname").has("hostname")).isFalse();
        assertThat(keycloak.at("/db"))
                .isEqualTo(
                        base.get("k8s.keycloak.org/Keycloak/meridian-keycloak").at("/spec/db"));
    }

    @Test
    void everySecretTheDevOverlayReferencesExistsWithItsKey() {
        List<HasMetadata> objects = parse(DEV);
        Map<String, Set<String>> secrets = new HashMap<>();
        for (HasMetadata object : objects) {
            if (object instanceof Secret secret) {
                Set<String> keys = new HashSet<>();
                if (secret.getStringData() != null) {
                    keys.addAll(secret.getStringData().keySet());
                }
                if (secret.getData() != null) {
                    keys.addAll(secret.getData().keySet());
                }
                secrets.put(secret.getMetadata().getName(), keys);
            }
        }

        // Secrets the operators make: Strimzi's User Operator one per KafkaUser (its password), the Cluster Operator
        // the cluster CA's certificate of each Kafka.
        for (ObjectNode object : RENDERER.render(DEV)) {
            String kind = object.get("kind").asText();
            if (kind.equals("KafkaUser")) {
                secrets.put(object.at("/metadata/name").asText(), Set.of("password", "sasl.jaas.config"));
            } else if (kind.equals("Kafka")) {
                secrets.put(object.at("/metadata/name").asText() + "-cluster-ca-cert", Set.of("ca.crt", "ca.p12"));
            }
        }

        List<String> references = new ArrayList<>();
        for (HasMetadata object : objects) {
            if (object instanceof Deployment deployment) {
                deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .forEach(c -> references.addAll(secretRefs(c).keySet()));
                deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                        .filter(v -> v.getSecret() != null)
                        .forEach(v -> v.getSecret()
                                .getItems()
                                .forEach(item -> references.add(v.getSecret().getSecretName() + "/" + item.getKey())));
            }
        }
        for (ObjectNode object : RENDERER.render(DEV)) {
            String kind = object.get("kind").asText();
            if (kind.equals("Cluster")) {
                object.at("/spec/managed/roles")
                        .forEach(role ->
                                references.add(role.at("/passwordSecret/name").asText() + "/password"));
            } else if (kind.equals("Keycloak")) {
                JsonNode db = object.at("/spec/db");
                references.add(db.at("/usernameSecret/name").asText() + "/"
                        + db.at("/usernameSecret/key").asText());
                references.add(db.at("/passwordSecret/name").asText() + "/"
                        + db.at("/passwordSecret/key").asText());
            } else if (kind.equals("KeycloakRealmImport")) {
                object.at("/spec/placeholders")
                        .forEach(p -> references.add(p.at("/secret/name").asText() + "/"
                                + p.at("/secret/key").asText()));
            }
        }

        assertThat(references).hasSizeGreaterThan(SERVICES.size() * 3);
        for (String reference : references) {
            String name = reference.substring(0, reference.indexOf('/'));
            String key = reference.substring(reference.indexOf('/') + 1);
            assertThat(secrets).as("secret of " + reference).containsKey(name);
            assertThat(secrets.get(name)).as("key of " + reference).contains(key);
        }
    }

    @Test
    void realmImportBelongsToTheKeycloakAndTheDevOverlayAddsTheDemoUsers() throws Exception {
        JsonNode local = JSON.readTree(Files.readString(LOCAL_REALM));
        Map<String, ObjectNode> base = byId(RENDERER.render(BASE));
        Map<String, ObjectNode> dev = byId(RENDERER.render(DEV));
        String importId = "k8s.keycloak.org/KeycloakRealmImport/meridian-realm";

        assertThat(base.get(importId).at("/spec/keycloakCRName").asText())
                .isEqualTo(base.get("k8s.keycloak.org/Keycloak/meridian-keycloak")
                        .at("/metadata/name")
                        .asText());
        assertThat(base.get(importId).at("/spec/realm/users"))
                .as("base has no demo users, only the identity service account")
                .allSatisfy(u -> assertThat(u.has("serviceAccountClientId")).isTrue());
        assertThat(dev.get(importId).at("/spec/realm/users")).isEqualTo(local.get("users"));
        assertThat(dev.get(importId).at("/spec/realm/clients"))
                .as("the users patch leaves the rest of the realm alone")
                .isEqualTo(base.get(importId).at("/spec/realm/clients"));
    }

    @Test
    void aCustomResourceOfAnUnknownKindIsRejected() {
        List<HasMetadata> objects = parse(Path.of("src", "test", "resources", "kustomize", "unknown-kind"));

        assertThat(objects).singleElement().isInstanceOf(GenericKubernetesResource.class);
        assertThatThrownBy(() -> apply(objects.getFirst()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("kafka.strimzi.io/v1beta2/KafkaTopik");
    }

    // -- rendering, parsing, applying -----------------------------------------------------------------

    private static List<HasMetadata> parse(Path kustomization) {
        List<HasMetadata> objects = new ArrayList<>();
        for (ObjectNode object : RENDERER.render(kustomization)) {
            String yaml = RENDERER.toYaml(List.of(object));
            HasMetadata parsed = client.getKubernetesSerialization().unmarshal(yaml);
            assertThat(parsed).as(KustomizeRenderer.id(object)).isNotNull();
            assertNoUnknownFields(parsed, KustomizeRenderer.id(object));
            objects.add(parsed);
        }
        return objects;
    }

    private static List<HasMetadata> applyAndReadBack(Path kustomization) {
        List<HasMetadata> objects = parse(kustomization);
        for (HasMetadata object : objects) {
            apply(object);
        }
        return objects;
    }

    private static void apply(HasMetadata object) {
        String where = object.getApiVersion() + "/" + object.getKind() + " "
                + object.getMetadata().getName();
        if (object instanceof GenericKubernetesResource resource) {
            ResourceDefinitionContext context = CUSTOM_RESOURCES.get(object.getApiVersion() + "/" + object.getKind());
            assertThat(context)
                    .as("no operator provides " + object.getApiVersion() + "/" + object.getKind())
                    .isNotNull();
            String namespace = object.getMetadata().getNamespace();
            client.genericKubernetesResources(context)
                    .inNamespace(namespace)
                    .resource(resource)
                    .create();
            GenericKubernetesResource stored = client.genericKubernetesResources(context)
                    .inNamespace(namespace)
                    .withName(object.getMetadata().getName())
                    .get();
            assertThat(stored).as(where).isNotNull();
            assertThat(JSON.valueToTree(stored.getAdditionalProperties().get("spec"))
                            .equals(JSON.valueToTree(
                                    resource.getAdditionalProperties().get("spec"))))
                    .as(where + " spec survives the round trip")
                    .isTrue();
        } else {
            client.resource(object).create();
            HasMetadata stored = client.resource(object).get();
            assertThat(stored).as(where).isNotNull();
            assertThat(stored.getMetadata().getLabels())
                    .isEqualTo(object.getMetadata().getLabels());
        }
    }

    /**
     * fabric8 keeps fields it does not know in additionalProperties; in a built-in kind that is a typo
     * (say {@code livenesProbe}) that Kubernetes would reject or silently drop.
     */
    private static void assertNoUnknownFields(Object node, String where) {
        if (node == null || node instanceof GenericKubernetesResource) {
            return;
        }
        if (node instanceof Collection<?> items) {
            items.forEach(item -> assertNoUnknownFields(item, where));
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.values().forEach(value -> assertNoUnknownFields(value, where));
            return;
        }
        if (!(node instanceof KubernetesResource)) {
            return;
        }
        try {
            for (PropertyDescriptor property :
                    Introspector.getBeanInfo(node.getClass()).getPropertyDescriptors()) {
                if (property.getReadMethod() == null || property.getName().equals("class")) {
                    continue;
                }
                Object value = property.getReadMethod().invoke(node);
                if (property.getName().equals("additionalProperties")) {
                    Map<?, ?> unknown = (Map<?, ?>) value;
                    assertThat(unknown)
                            .as(where + ": unknown fields " + (unknown == null ? "" : unknown.keySet()) + " in "
                                    + node.getClass().getSimpleName())
                            .isNullOrEmpty();
                } else {
                    assertNoUnknownFields(value, where);
                }
            }
        } catch (IntrospectionException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(e);
        }
    }

    // -- small helpers --------------------------------------------------------------------------------

    private static CustomResourceDefinitionContext crd(String group, String version, String kind, String plural) {
        return new CustomResourceDefinitionContext.Builder()
                .withGroup(group)
                .withVersion(version)
                .withKind(kind)
                .withPlural(plural)
                .withScope("Namespaced")
                .build();
    }

    private static void assertHttpProbe(Probe probe, String path) {
        assertThat(probe).as(path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("management");
    }

    /** secretName/key of every env var a container takes from a Secret. */
    private static Map<String, EnvVar> secretRefs(Container container) {
        return container.getEnv().stream()
                .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                .collect(Collectors.toMap(
                        e -> e.getValueFrom().getSecretKeyRef().getName() + "/"
                                + e.getValueFrom().getSecretKeyRef().getKey(),
                        e -> e));
    }

    private static Set<String> kinds(List<HasMetadata> objects) {
        return objects.stream().map(HasMetadata::getKind).collect(Collectors.toSet());
    }

    /** Objects by group/kind/name (namespace left out: base and overlay differ only there). */
    private static Map<String, ObjectNode> byId(List<ObjectNode> objects) {
        Map<String, ObjectNode> map = new HashMap<>();
        for (ObjectNode object : objects) {
            String apiVersion = object.get("apiVersion").asText();
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            map.put(
                    group + "/" + object.get("kind").asText() + "/"
                            + object.at("/metadata/name").asText(),
                    object);
        }
        return map;
    }

    private static long quantityMi(String quantity) {
        if (quantity.endsWith("Gi")) {
            return Long.parseLong(quantity.substring(0, quantity.length() - 2)) * 1024;
        }
        assertThat(quantity).endsWith("Mi");
        return Long.parseLong(quantity.substring(0, quantity.length() - 2));
    }
}
