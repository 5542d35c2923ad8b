package io.meridian.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The realm objects of deploy/k8s are generated from deploy/keycloak/meridian-realm.json. After changing the realm
 * file, regenerate them with
 * {@code ./mvnw -f deploy/k8s/pom.xml test -Dtest=RealmImportTest -Dmeridian.regenerate=true}.
 */
class RealmImportTest {

    private static final Path LOCAL_REALM = Path.of("..", "keycloak", "meridian-realm.json");
    private static final Path BASE_IMPORT = Path.of("base", "keycloak", "realm-import.yaml");
    private static final Path DEV_USERS = Path.of("overlays", "dev", "patches", "realm-users.yaml");
    private static final Path SERVICES = Path.of("base", "services");

    private static final String BASE_HEADER = """
            # GENERATED from ../../../keycloak/meridian-realm.json by RealmImportGenerator (see RealmImportTest):
            # kustomize cannot feed a file into a custom resource field. Differences on purpose: no demo users
            # (overlays/dev adds them), client secrets are placeholders read from the Secrets meridian-<service>-oidc,
            # sslRequired external, 5 minute access tokens.
            """;
    private static final String DEV_HEADER = """
            # GENERATED from deploy/keycloak/meridian-realm.json by RealmImportGenerator (see RealmImportTest):
            # the demo users (password = <user>-password), for the dev cluster only. A patch replaces the whole
            # users list of a custom resource, so the identity service account is repeated here.
            """;

    private final ObjectMapper json = new ObjectMapper();
    private final YAMLMapper yaml = new YAMLMapper();

    @Test
    void committedRealmObjectsAreGeneratedFromTheLocalRealm() throws IOException {
        JsonNode local = json.readTree(Files.readString(LOCAL_REALM));
        ObjectNode realmImport = RealmImportGenerator.realmImport(local);
        ObjectNode devUsers = RealmImportGenerator.devUsersPatch(local);

        if (Boolean.getBoolean("meridian.regenerate")) {
            write(BASE_IMPORT, BASE_HEADER, realmImport);
            write(DEV_USERS, DEV_HEADER, devUsers);
        }

        assertThat(yaml.readTree(BASE_IMPORT.toFile()))
                .as(BASE_IMPORT + " is stale: regenerate it (see RealmImportTest)")
                .isEqualTo(realmImport);
        assertThat(yaml.readTree(DEV_USERS.toFile()))
                .as(DEV_USERS + " is stale: regenerate it (see RealmImportTest)")
                .isEqualTo(devUsers);
    }

    @Test
    void baseRealmCarriesNoPasswordsOrClientSecrets() {
        JsonNode local = readLocal();
        JsonNode realm = RealmImportGenerator.realmImport(local).at("/spec/realm");

        assertThat(realm.get("users"))
                .allSatisfy(user -> assertThat(user.has("credentials")).isFalse());
        assertThat(realm.get("clients"))
                .filteredOn(client -> client.has("secret"))
                .hasSize(6)
                .allSatisfy(client -> assertThat(client.get("secret").asText())
                        .startsWith("${")
                        .endsWith("}"));
        assertThat(realm.get("roles")).isEqualTo(local.get("roles"));
        assertThat(realm.get("groups")).isEqualTo(local.get("groups"));
    }

    @Test
    void cliTokensNameEveryServiceClientAsAudience() {
        JsonNode realm = RealmImportGenerator.realmImport(readLocal()).at("/spec/realm");
        List<String> serviceClients = stream(realm.get("clients"))
                .filter(client -> client.path("serviceAccountsEnabled").asBoolean())
                .map(client -> client.get("clientId").asText())
                .toList();

        assertThat(serviceClients)
                .containsExactlyInAnyOrder(
                        "meridian-inventory",
                        "meridian-identity",
                        "meridian-policy",
                        "meridian-cost",
                        "meridian-observability",
                        "meridian-placement");
        // Each service accepts only tokens whose aud names its client (quarkus.oidc.token.audience in service-kit),
        // and people, the system tests, the bench and the demo all take their tokens from meridian-cli.
        assertThat(cliAccessTokenAudiences(realm)).containsExactlyInAnyOrderElementsOf(serviceClients);
    }

    @Test
    void everyDeployedServiceIsAnAudienceOfCliTokens() throws IOException {
        JsonNode realm = RealmImportGenerator.realmImport(readLocal()).at("/spec/realm");
        List<String> deployedClients = new ArrayList<>();
        try (Stream<Path> manifests = Files.list(SERVICES)) {
            for (Path manifest :
                    manifests.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                try (MappingIterator<JsonNode> objects =
                        yaml.readerFor(JsonNode.class).readValues(manifest.toFile())) {
                    objects.readAll().stream()
                            .map(object -> object.at("/data/QUARKUS_OIDC_CLIENT_ID"))
                            .filter(JsonNode::isTextual)
                            .forEach(clientId -> deployedClients.add(clientId.asText()));
                }
            }
        }

        assertThat(deployedClients).hasSizeGreaterThanOrEqualTo(5);
        assertThat(cliAccessTokenAudiences(realm)).containsAll(deployedClients);
    }

    @Test
    void bruteForceProtectionLocksAUserOutForAWhileNeverForGood() {
        JsonNode realm = RealmImportGenerator.realmImport(readLocal()).at("/spec/realm");

        assertThat(realm.path("bruteForceProtected").asBoolean()).isTrue();
        // A permanent lockout would let anyone who knows a user name disable that user.
        assertThat(realm.path("permanentLockout").asBoolean(true)).isFalse();
        assertThat(realm.path("failureFactor").asInt()).isBetween(3, 30);
        assertThat(realm.path("waitIncrementSeconds").asInt()).isPositive();
        assertThat(realm.path("maxFailureWaitSeconds").asInt())
                .isGreaterThanOrEqualTo(realm.path("waitIncrementSeconds").asInt())
                .isLessThanOrEqualTo(3600);
    }

    private static List<String> cliAccessTokenAudiences(JsonNode realm) {
        JsonNode cli = stream(realm.get("clients"))
                .filter(client -> "meridian-cli".equals(client.get("clientId").asText()))
                .findFirst()
                .orElseThrow();
        return stream(cli.path("protocolMappers"))
                .filter(mapper -> "oidc-audience-mapper"
                        .equals(mapper.path("protocolMapper").asText()))
                .filter(mapper ->
                        "true".equals(mapper.at("/config/access.token.claim").asText()))
                .map(mapper -> mapper.at("/config/included.client.audience").asText())
                .toList();
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }

    private JsonNode readLocal() {
        try {
            return json.readTree(Files.readString(LOCAL_REALM));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void write(Path file, String header, ObjectNode object) throws IOException {
        Files.writeString(file, header + new KustomizeRenderer().toYaml(List.of(object)));
    }
}
