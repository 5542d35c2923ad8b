package io.meridian.cli.config;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One Meridian the CLI talks to: its Keycloak (realm and client the CLI logs in with), the base URL of each service's
 * REST API, and its Kafka.
 */
public record Context(String keycloak, String realm, String client, Map<String, String> services, KafkaSettings kafka) {

    /** The services whose REST APIs a context names, in the order of their local ports (8081-8086). */
    public static final List<String> SERVICES =
            List.of("inventory", "identity", "policy", "cost", "observability", "placement");

    public Context {
        services = services == null ? Map.of() : Map.copyOf(new TreeMap<>(services));
    }

    /** The OpenID Connect endpoints of the context's realm. */
    public URI tokenEndpoint() {
        return realmUri("/protocol/openid-connect/token");
    }

    /** RFC 8628's device authorization endpoint, as Keycloak names it. */
    public URI deviceEndpoint() {
        return realmUri("/protocol/openid-connect/auth/device");
    }

    /** Where a session is ended. */
    public URI logoutEndpoint() {
        return realmUri("/protocol/openid-connect/logout");
    }

    /** The base URL of one service's API. */
    public Optional<String> service(String name) {
        return Optional.ofNullable(services.get(name));
    }

    private URI realmUri(String path) {
        String base = keycloak.endsWith("/") ? keycloak.substring(0, keycloak.length() - 1) : keycloak;
        return URI.create(base + "/realms/" + realm + path);
    }
}
