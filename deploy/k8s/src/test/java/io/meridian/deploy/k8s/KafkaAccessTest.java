package io.meridian.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.meridian.contracts.kafka.AclCatalog;
import io.meridian.contracts.kafka.KafkaGrants;
import io.meridian.contracts.kafka.KafkaPrincipal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/**
 * The bus of the deployment is locked as contracts' ACL catalog says: a TLS listener with SCRAM logins, the simple
 * authorizer, one KafkaUser per deployed principal with exactly its catalog ACLs, services that log in as their own
 * user and verify the brokers, and NetworkPolicies that deny by default. {@code kafka/users.yaml} is generated from the
 * catalog; after changing the catalog, regenerate it with
 * {@code ./mvnw -f deploy/k8s/pom.xml test -Dtest=KafkaAccessTest -Dmeridian.regenerate=true}.
 */
class KafkaAccessTest {

    private static final Path BASE = Path.of("base");
    private static final Path DEV = Path.of("overlays", "dev");
    private static final Path USERS = Path.of("base", "kafka", "users.yaml");
    private static final List<String> SERVICES =
            List.of("inventory", "identity", "policy", "cost", "observability", "placement");

    private static final String USERS_HEADER = """
            # GENERATED from contracts' AclCatalog by KafkaAccessTest (-Dmeridian.regenerate=true): one KafkaUser per
            # principal a deployment has, with exactly the ACLs the catalog grants it. Strimzi's User Operator makes each
            # user's SCRAM-SHA-512 password and puts it into a Secret of the user's name (key 'password').
            """;

    private static final KustomizeRenderer RENDERER = new KustomizeRenderer();
    private final YAMLMapper yaml = new YAMLMapper();

    @Test
    void kafkaUsersAreGeneratedFromTheAclCatalog() throws IOException {
        List<ObjectNode> expected =
                AclCatalog.deployed().stream().map(KafkaAccessTest::kafkaUser).toList();

        if (Boolean.getBoolean("meridian.regenerate")) {
            Files.writeString(USERS, USERS_HEADER + RENDERER.toYaml(expected));
        }

        List<JsonNode> committed = new ArrayList<>();
        yaml.readValues(yaml.createParser(USERS.toFile()), JsonNode.class).forEachRemaining(committed::add);
        assertThat(committed)
                .as(USERS + " is stale: regenerate it (see KafkaAccessTest)")
                .isEqualTo(expected);
    }

    @Test
    void eachRenderedKafkaUserHasExactlyItsCatalogAclsAndLogsInWithScram() {
        Map<String, ObjectNode> users = new TreeMap<>();
        for (ObjectNode object : RENDERER.render(DEV)) {
            if (object.get("kind").asText().equals("KafkaUser")) {
                users.put(object.at("/metadata/name").asText(), object);
            }
        }

        assertThat(users.keySet())
                .containsExactlyInAnyOrderElementsOf(AclCatalog.deployed().stream()
                        .map(g -> g.principal().userName())
                        .toList());
        assertThat(users).doesNotContainKeys("bench", "admin");
        for (KafkaGrants grants : AclCatalog.deployed()) {
            ObjectNode user = users.get(grants.principal().userName());
            assertThat(user.at("/metadata/labels/strimzi.io~1cluster").asText()).isEqualTo("meridian");
            assertThat(user.at("/spec/authentication/type").asText()).isEqualTo("scram-sha-512");
            assertThat(user.at("/spec/authorization/type").asText()).isEqualTo("simple");
            assertThat(bindingsOf(grants.principal(), user.at("/spec/authorization/acls")))
                    .as(grants.principal().userName())
                    .isEqualTo(new HashSet<>(grants.aclBindings()));
        }
    }

    @Test
    void theOnlyClientListenerIsTlsWithScramAndTheAuthorizerIsOn() {
        for (Path kustomization : List.of(BASE, DEV)) {
            JsonNode kafka =
                    byId(kustomization).get("kafka.strimzi.io/Kafka/meridian").at("/spec/kafka");

            assertThat(kafka.at("/authorization/type").asText()).isEqualTo("simple");
            assertThat(kafka.get("listeners")).isNotEmpty().allSatisfy(listener -> {
                assertThat(listener.path("tls").asBoolean())
                        .as(listener.toString())
                        .isTrue();
                assertThat(listener.at("/authentication/type").asText()).isEqualTo("scram-sha-512");
            });
        }
    }

    @Test
    void eachServiceLogsInAsItsOwnUserOverTlsAndVerifiesTheBrokers() {
        Map<String, ObjectNode> objects = byId(DEV);
        int port = objects.get("kafka.strimzi.io/Kafka/meridian")
                .at("/spec/kafka/listeners/0/port")
                .asInt();
        for (String service : SERVICES) {
            JsonNode config =
                    objects.get("/ConfigMap/meridian-" + service + "-config").get("data");
            assertThat(config.path("KAFKA_BOOTSTRAP_SERVERS").asText()).isEqualTo("meridian-kafka-bootstrap:" + port);
            assertThat(config.path("MERIDIAN_KAFKA_SECURITY_PROTOCOL").asText()).isEqualTo("SASL_SSL");
            assertThat(config.path("MERIDIAN_KAFKA_USERNAME").asText()).isEqualTo(service);
            assertThat(config.path("KAFKA_SSL_TRUSTSTORE_TYPE").asText()).isEqualTo("PEM");
            String truststore = config.path("KAFKA_SSL_TRUSTSTORE_LOCATION").asText();

            JsonNode pod = objects.get("apps/Deployment/meridian-" + service).at("/spec/template/spec");
            JsonNode container = pod.at("/containers/0");
            assertThat(container.get("env")).anySatisfy(env -> {
                assertThat(env.path("name").asText()).isEqualTo("MERIDIAN_KAFKA_PASSWORD");
                assertThat(env.at("/valueFrom/secretKeyRef/name").asText())
                        .as("the Secret of the KafkaUser of the same name")
                        .isEqualTo(service);
                assertThat(env.at("/valueFrom/secretKeyRef/key").asText()).isEqualTo("password");
            });
            assertThat(container.get("env"))
                    .as(service + " reads no other service's Kafka password")
                    .noneSatisfy(env -> assertThat(SERVICES)
                            .filteredOn(other -> !other.equals(service))
                            .contains(env.at("/valueFrom/secretKeyRef/name").asText()));
            String volume = StreamSupport.stream(pod.get("volumes").spliterator(), false)
                    .filter(v -> v.at("/secret/secretName").asText().equals("meridian-cluster-ca-cert"))
                    .map(v -> v.path("name").asText())
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(service + " does not mount the Kafka cluster CA"));
            assertThat(container.get("volumeMounts")).anySatisfy(mount -> {
                assertThat(mount.path("name").asText()).isEqualTo(volume);
                assertThat(truststore).isEqualTo(mount.path("mountPath").asText() + "/ca.crt");
            });
        }
    }

    @Test
    void everythingIsDeniedUnlessAPolicyAllowsIt() {
        for (Path kustomization : List.of(BASE, DEV)) {
            ObjectNode deny = byId(kustomization).get("networking.k8s.io/NetworkPolicy/default-deny");

            assertThat(deny).as(kustomization + " default-deny").isNotNull();
            assertThat(deny.at("/spec/podSelector").isEmpty()).isTrue();
            assertThat(texts(deny.at("/spec/policyTypes"))).containsExactlyInAnyOrder("Ingress", "Egress");
            assertThat(deny.at("/spec").has("ingress")).isFalse();
            assertThat(deny.at("/spec").has("egress")).isFalse();
        }
    }

    @Test
    void servicesReachKafkaPostgresAndKeycloakAndOnlyInventoryAndObservabilityLeaveTheCluster() {
        List<ObjectNode> policies = RENDERER.render(BASE).stream()
                .filter(o -> o.get("kind").asText().equals("NetworkPolicy"))
                .toList();
        for (String service : SERVICES) {
            List<JsonNode> egress = policies.stream()
                    .filter(p -> selectsService(p.at("/spec/podSelector"), service))
                    .flatMap(p -> StreamSupport.stream(p.at("/spec/egress").spliterator(), false))
                    .toList();

            assertThat(egressPorts(egress, "strimzi.io/cluster"))
                    .as(service + " to Kafka")
                    .containsExactly(9093);
            assertThat(egressPorts(egress, "cnpg.io/cluster"))
                    .as(service + " to PostgreSQL")
                    .containsExactly(5432);
            assertThat(egressPorts(egress, "app")).as(service + " to Keycloak").containsExactly(8080);
            Set<Integer> outside = egress.stream()
                    .filter(rule -> StreamSupport.stream(rule.path("to").spliterator(), false)
                            .anyMatch(peer -> peer.has("ipBlock")))
                    .flatMap(rule -> ports(rule).stream())
                    .collect(Collectors.toSet());
            if (service.equals("inventory") || service.equals("observability")) {
                assertThat(outside)
                        .as(service + " to the clusters' API servers")
                        .contains(443, 6443);
            } else {
                assertThat(outside).as(service + " leaves the cluster").isEmpty();
            }
        }
    }

    // -- the catalog as Strimzi writes ACLs, and back ---------------------------------------------------

    /** The KafkaUser of a principal: SCRAM-SHA-512, and its catalog ACLs, one entry per resource. */
    static ObjectNode kafkaUser(KafkaGrants grants) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode user = f.objectNode();
        user.put("apiVersion", "kafka.strimzi.io/v1beta2");
        user.put("kind", "KafkaUser");
        ObjectNode metadata = user.putObject("metadata");
        metadata.put("name", grants.principal().userName());
        metadata.putObject("labels").put("strimzi.io/cluster", "meridian");
        ObjectNode spec = user.putObject("spec");
        spec.putObject("authentication").put("type", "scram-sha-512");
        ObjectNode authorization = spec.putObject("authorization");
        authorization.put("type", "simple");
        ArrayNode acls = authorization.putArray("acls");
        Map<ResourcePattern, List<AclOperation>> byResource = new LinkedHashMap<>();
        for (AclBinding binding : grants.aclBindings()) {
            byResource
                    .computeIfAbsent(binding.pattern(), p -> new ArrayList<>())
                    .add(binding.entry().operation());
        }
        byResource.forEach((pattern, operations) -> {
            ObjectNode acl = acls.addObject();
            ObjectNode resource = acl.putObject("resource");
            resource.put("type", resourceType(pattern.resourceType()));
            resource.put("name", pattern.name());
            resource.put("patternType", pattern.patternType() == PatternType.PREFIXED ? "prefix" : "literal");
            ArrayNode ops = acl.putArray("operations");
            operations.forEach(op -> ops.add(operationName(op)));
        });
        return user;
    }

    /** The ACLs a KafkaUser's {@code spec.authorization.acls} gives, as Kafka's authorizer stores them. */
    private static Set<AclBinding> bindingsOf(KafkaPrincipal principal, JsonNode acls) {
        Set<AclBinding> bindings = new HashSet<>();
        for (JsonNode acl : acls) {
            JsonNode resource = acl.get("resource");
            ResourceType type = ResourceType.fromString(
                    resource.path("type").asText().equals("transactionalId")
                            ? "TRANSACTIONAL_ID"
                            : resource.path("type").asText().toUpperCase(Locale.ROOT));
            PatternType pattern =
                    resource.path("patternType").asText().equals("prefix") ? PatternType.PREFIXED : PatternType.LITERAL;
            assertThat(acl.path("host").asText("*")).isEqualTo("*");
            assertThat(acl.path("type").asText("allow")).isEqualTo("allow");
            for (JsonNode operation : acl.get("operations")) {
                bindings.add(new AclBinding(
                        new ResourcePattern(type, resource.path("name").asText(), pattern),
                        new AccessControlEntry(
                                principal.principal(),
                                "*",
                                AclOperation.fromString(operation.asText().toUpperCase(Locale.ROOT)),
                                AclPermissionType.ALLOW)));
            }
        }
        return bindings;
    }

    private static String resourceType(ResourceType type) {
        return switch (type) {
            case TOPIC -> "topic";
            case GROUP -> "group";
            case TRANSACTIONAL_ID -> "transactionalId";
            case CLUSTER -> "cluster";
            default -> throw new IllegalArgumentException("no Strimzi ACL resource type for " + type);
        };
    }

    /** Strimzi's spelling of an operation: {@code Read}, {@code Describe}, ... */
    private static String operationName(AclOperation operation) {
        String name = operation.name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    // -- helpers ----------------------------------------------------------------------------------------

    private static Map<String, ObjectNode> byId(Path kustomization) {
        Map<String, ObjectNode> objects = new LinkedHashMap<>();
        for (ObjectNode object : RENDERER.render(kustomization)) {
            String apiVersion = object.get("apiVersion").asText();
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            objects.put(
                    group + "/" + object.get("kind").asText() + "/"
                            + object.at("/metadata/name").asText(),
                    object);
        }
        return objects;
    }

    private static boolean selectsService(JsonNode selector, String service) {
        if (selector.isEmpty()) {
            return true;
        }
        if (selector.at("/matchLabels/app.kubernetes.io~1component").asText().equals(service)) {
            return true;
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            if (expression.path("key").asText().equals("app.kubernetes.io/component")
                    && expression.path("operator").asText().equals("In")
                    && texts(expression.get("values")).contains(service)) {
                return true;
            }
        }
        return false;
    }

    /** The ports of the egress rules whose peers select pods by a label with this key. */
    private static Set<Integer> egressPorts(List<JsonNode> egress, String labelKey) {
        return egress.stream()
                .filter(rule -> StreamSupport.stream(rule.path("to").spliterator(), false)
                        .anyMatch(peer -> peer.at("/podSelector/matchLabels").has(labelKey)))
                .flatMap(rule -> ports(rule).stream())
                .collect(Collectors.toSet());
    }

    private static List<Integer> ports(JsonNode rule) {
        List<Integer> ports = new ArrayList<>();
        rule.path("ports").forEach(p -> ports.add(p.path("port").asInt()));
        return ports;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }
}
