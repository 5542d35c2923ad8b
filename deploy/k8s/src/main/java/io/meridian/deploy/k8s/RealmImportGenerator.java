package io.meridian.deploy.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * Derives the Keycloak operator's realm objects from the local realm file (deploy/keycloak/meridian-realm.json),
 * because kustomize cannot feed a file into a custom resource field. The base import has no demo users and
 * takes client secrets from Secrets through placeholders; the dev overlay patches the demo users back in.
 */
public final class RealmImportGenerator {

    static final String API_VERSION = "k8s.keycloak.org/v2alpha1";
    static final String IMPORT_NAME = "meridian-realm";
    static final String KEYCLOAK_NAME = "meridian-keycloak";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RealmImportGenerator() {}

    /** The placeholder a client's secret becomes, e.g. MERIDIAN_INVENTORY_CLIENT_SECRET. */
    public static String placeholder(String clientId) {
        return clientId.toUpperCase(Locale.ROOT).replace('-', '_') + "_CLIENT_SECRET";
    }

    /** The Secret a client's secret is read from: {@code <clientId>-oidc}, key {@code client-secret}. */
    public static String secretName(String clientId) {
        return clientId + "-oidc";
    }

    /** The base KeycloakRealmImport: the local realm less demo users, with secrets as placeholders. */
    public static ObjectNode realmImport(JsonNode localRealm) {
        ObjectNode realm = localRealm.deepCopy();
        // Behind TLS-terminating ingress in a cluster; short-lived tokens outside a laptop.
        realm.put("sslRequired", "external");
        realm.put("accessTokenLifespan", 300);
        ObjectNode placeholders = NODES.objectNode();
        for (JsonNode client : realm.withArray("clients")) {
            if (client.has("secret")) {
                String clientId = client.get("clientId").asText();
                ((ObjectNode) client).put("secret", "${" + placeholder(clientId) + "}");
                ObjectNode secret =
                        placeholders.putObject(placeholder(clientId)).putObject("secret");
                secret.put("name", secretName(clientId));
                secret.put("key", "client-secret");
            }
        }
        ArrayNode serviceAccounts = NODES.arrayNode();
        for (JsonNode user : localRealm.withArray("users")) {
            if (user.has("serviceAccountClientId")) {
                serviceAccounts.add(user.deepCopy());
            }
        }
        realm.set("users", serviceAccounts);

        ObjectNode object = header();
        ObjectNode spec = object.putObject("spec");
        spec.put("keycloakCRName", KEYCLOAK_NAME);
        spec.set("placeholders", placeholders);
        spec.set("realm", realm);
        return object;
    }

    /** The dev overlay's patch: all users of the local realm (a patch replaces a custom resource's list). */
    public static ObjectNode devUsersPatch(JsonNode localRealm) {
        ObjectNode object = header();
        object.putObject("spec")
                .putObject("realm")
                .set("users", localRealm.get("users").deepCopy());
        return object;
    }

    private static ObjectNode header() {
        ObjectNode object = NODES.objectNode();
        object.put("apiVersion", API_VERSION);
        object.put("kind", "KeycloakRealmImport");
        object.putObject("metadata").put("name", IMPORT_NAME);
        return object;
    }
}
