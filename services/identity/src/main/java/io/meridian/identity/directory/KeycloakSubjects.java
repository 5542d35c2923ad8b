package io.meridian.identity.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.identity.config.IdentityConfig;
import io.meridian.identity.domain.Subject;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Checks that a group (by name or path) or a user (by username) exists in the Keycloak realm, through the admin REST
 * API with a client-credentials token of a service-account client. The token is cached until shortly before it
 * expires; it and the client secret are never logged.
 */
@ApplicationScoped
public class KeycloakSubjects {

    /** The directory could not answer; the caller should retry later, it is not the client's fault. */
    public static final class DirectoryUnavailable extends RuntimeException {
        DirectoryUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final Logger LOG = Logger.getLogger(KeycloakSubjects.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Token(String value, Instant refreshAfter) {}

    private static final java.util.regex.Pattern REALM_URL =
            java.util.regex.Pattern.compile("(https?://.+?)/realms/([^/]+)/?");

    private final IdentityConfig.Keycloak config;
    private final String baseUrl;
    private final String realm;
    private final String clientSecret;
    private final Clock clock;
    private final HttpClient http;
    private final AtomicReference<Token> token = new AtomicReference<>();
    private final Timer lookups;

    KeycloakSubjects(
            IdentityConfig config,
            Clock clock,
            MeterRegistry registry,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.oidc.auth-server-url")
                    String authServerUrl,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.oidc.credentials.secret")
                    java.util.Optional<String> oidcSecret) {
        this.config = config.keycloak();
        java.util.regex.Matcher issuer = REALM_URL.matcher(authServerUrl);
        boolean parsed = issuer.matches();
        this.baseUrl = trim(this.config.url().orElse(parsed ? issuer.group(1) : authServerUrl));
        this.realm = this.config.realm().orElse(parsed ? issuer.group(2) : "meridian");
        this.clientSecret = this.config.clientSecret().or(() -> oidcSecret).orElse("");
        this.clock = clock;
        this.http =
                HttpClient.newBuilder().connectTimeout(this.config.timeout()).build();
        this.lookups = Timer.builder("meridian.identity.keycloak.lookups")
                .description("Subject lookups in the Keycloak admin API")
                .register(registry);
    }

    public boolean enabled() {
        return config.checkSubjects();
    }

    /** Whether the subject exists; fails with {@link DirectoryUnavailable} when Keycloak cannot tell. */
    public Uni<Boolean> exists(Subject subject) {
        Timer.Sample sample = Timer.start();
        return accessToken()
                .chain(bearer -> get(lookupUrl(subject), bearer))
                .map(body -> matches(subject, body))
                .onTermination()
                .invoke(() -> sample.stop(lookups));
    }

    private String lookupUrl(Subject subject) {
        String base = baseUrl + "/admin/realms/" + encode(realm);
        return switch (subject.kind()) {
            case GROUP -> {
                String name = subject.name().contains("/")
                        ? subject.name().substring(subject.name().lastIndexOf('/') + 1)
                        : subject.name();
                yield base + "/groups?briefRepresentation=true&max=100&search=" + encode(name);
            }
            case USER -> base + "/users?briefRepresentation=true&exact=true&username=" + encode(subject.name());
        };
    }

    /** A group matches by name or by full path ({@code /platform/payments}); a user by username. */
    static boolean matches(Subject subject, JsonNode found) {
        if (!found.isArray()) {
            return false;
        }
        for (JsonNode node : found) {
            if (subject.kind() == Subject.Kind.USER) {
                if (subject.name().equalsIgnoreCase(node.path("username").asText())) {
                    return true;
                }
            } else if (groupMatches(subject.name(), node)) {
                return true;
            }
        }
        return false;
    }

    private static boolean groupMatches(String wanted, JsonNode group) {
        String path = group.path("path").asText();
        if (wanted.equals(group.path("name").asText()) || wanted.equals(path) || ("/" + wanted).equals(path)) {
            return true;
        }
        for (JsonNode child : group.path("subGroups")) {
            if (groupMatches(wanted, child)) {
                return true;
            }
        }
        return false;
    }

    private Uni<String> accessToken() {
        Token current = token.get();
        if (current != null && clock.instant().isBefore(current.refreshAfter())) {
            return Uni.createFrom().item(current.value());
        }
        String form = "grant_type=client_credentials&client_id=" + encode(config.clientId()) + "&client_secret="
                + encode(clientSecret);
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(baseUrl + "/realms/" + encode(realm) + "/protocol/openid-connect/token"))
                .timeout(config.timeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        return send(request, "token").map(body -> {
            String value = body.path("access_token").asText(null);
            if (value == null) {
                throw new DirectoryUnavailable(
                        "Keycloak returned no access token for client " + config.clientId(), null);
            }
            long lifetime = Math.max(0, body.path("expires_in").asLong(60) - 30);
            token.set(new Token(value, clock.instant().plusSeconds(lifetime)));
            return value;
        });
    }

    private Uni<JsonNode> get(String url, String bearer) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(config.timeout())
                .header("Authorization", "Bearer " + bearer)
                .header("Accept", "application/json")
                .GET()
                .build();
        return send(request, "lookup");
    }

    private Uni<JsonNode> send(HttpRequest request, String what) {
        return Uni.createFrom()
                .completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .onFailure()
                .transform(e -> new DirectoryUnavailable("Keycloak " + what + " request failed: " + e.getMessage(), e))
                .map(response -> {
                    if (response.statusCode() == 401) {
                        token.set(null); // a revoked or rotated token: fetch a new one next time
                    }
                    if (response.statusCode() / 100 != 2) {
                        LOG.warnf("Keycloak %s answered HTTP %d", what, response.statusCode());
                        throw new DirectoryUnavailable(
                                "Keycloak " + what + " answered HTTP " + response.statusCode(), null);
                    }
                    try {
                        return JSON.readTree(response.body());
                    } catch (java.io.IOException e) {
                        throw new DirectoryUnavailable("Keycloak " + what + " answered unreadable JSON", e);
                    }
                });
    }

    private static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
