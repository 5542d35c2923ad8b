package io.meridian.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.cli.CliEnvironment;
import io.meridian.cli.CliException;
import io.meridian.cli.config.Context;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The CLI's side of Keycloak's OpenID Connect endpoints: the device authorization grant (RFC 8628), the password
 * grant for the demo users, and refreshing a token.
 */
public final class KeycloakClient {

    static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

    /** RFC 8628 section 3.5: a client that is told to slow down adds five seconds to its interval. */
    static final Duration SLOW_DOWN_STEP = Duration.ofSeconds(5);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Context context;
    private final CliEnvironment environment;
    private final HttpClient http;

    public KeycloakClient(Context context, CliEnvironment environment) {
        this.context = context;
        this.environment = environment;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** What the user must do to approve a device login, and what the CLI polls with meanwhile. */
    public record DeviceAuthorization(
            String deviceCode,
            String userCode,
            String verificationUri,
            String verificationUriComplete,
            Duration expiresIn,
            Duration interval) {}

    /** An OAuth error answer ({@code error}, {@code error_description}). */
    public static final class OAuthException extends CliException {
        private final String error;

        OAuthException(String error, String description) {
            super(description == null || description.isBlank() ? error : error + ": " + description);
            this.error = error;
        }

        public String error() {
            return error;
        }
    }

    /** Starts a device login (RFC 8628 section 3.1). */
    public DeviceAuthorization startDeviceLogin() {
        JsonNode answer = post(context.deviceEndpoint(), Map.of("client_id", context.client(), "scope", "openid"));
        return new DeviceAuthorization(
                answer.path("device_code").asText(),
                answer.path("user_code").asText(),
                answer.path("verification_uri").asText(),
                answer.path("verification_uri_complete").asText(null),
                Duration.ofSeconds(answer.path("expires_in").asLong(600)),
                Duration.ofSeconds(answer.path("interval").asLong(5)));
    }

    /**
     * Polls the token endpoint until the user approved (the token), denied, or the code expired (section 3.4-3.5).
     */
    public Token awaitDeviceToken(DeviceAuthorization authorization) throws InterruptedException {
        Instant deadline = environment.clock().instant().plus(authorization.expiresIn());
        Duration interval = authorization.interval();
        while (true) {
            environment.sleeper().sleep(interval);
            try {
                return token(Map.of(
                        "grant_type", DEVICE_GRANT,
                        "device_code", authorization.deviceCode(),
                        "client_id", context.client()));
            } catch (OAuthException e) {
                switch (e.error()) {
                    case "authorization_pending" -> {}
                    case "slow_down" -> interval = interval.plus(SLOW_DOWN_STEP);
                    case "access_denied" -> throw new CliException("the login was denied in the browser");
                    case "expired_token" ->
                        throw new CliException(
                                "the code expired before it was approved: run" + " meridian login again");
                    default -> throw e;
                }
            }
            if (!environment.clock().instant().isBefore(deadline)) {
                throw new CliException("the code expired before it was approved: run meridian login again");
            }
        }
    }

    /** The password grant: for the demo users, whose passwords are known. */
    public Token passwordLogin(String user, String password) {
        return token(Map.of(
                "grant_type",
                "password",
                "client_id",
                context.client(),
                "username",
                user,
                "password",
                password,
                "scope",
                "openid"));
    }

    /** A new token for a refresh token. */
    public Token refresh(String refreshToken) {
        return token(
                Map.of("grant_type", "refresh_token", "client_id", context.client(), "refresh_token", refreshToken));
    }

    /** Ends the session of a refresh token at Keycloak (its OpenID Connect logout endpoint). */
    public void logout(String refreshToken) {
        post(context.logoutEndpoint(), Map.of("client_id", context.client(), "refresh_token", refreshToken));
    }

    private Token token(Map<String, String> form) {
        JsonNode answer = post(context.tokenEndpoint(), form);
        Instant now = environment.clock().instant();
        String accessToken = answer.path("access_token").asText(null);
        if (accessToken == null) {
            throw new CliException("Keycloak answered without an access token");
        }
        long refreshExpiresIn = answer.path("refresh_expires_in").asLong(0);
        return new Token(
                accessToken,
                now.plusSeconds(answer.path("expires_in").asLong(60)),
                answer.path("refresh_token").asText(null),
                // Keycloak says 0 for a refresh token that only expires when its session does (offline access).
                refreshExpiresIn > 0 ? now.plusSeconds(refreshExpiresIn) : null);
    }

    private JsonNode post(URI uri, Map<String, String> form) {
        String body = new LinkedHashMap<>(form)
                .entrySet().stream()
                        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                        .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CliException(
                    "cannot reach Keycloak at " + uri + " (" + e.getClass().getSimpleName()
                            + "); is the stack up? (bin/meridian stack up)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", e);
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new CliException(
                    "Keycloak answered " + response.statusCode() + " with a body that is not JSON from " + uri);
        }
        if (response.statusCode() / 100 != 2 || answer.has("error")) {
            throw new OAuthException(
                    answer.path("error").asText("http_" + response.statusCode()),
                    answer.path("error_description").asText(null));
        }
        return answer;
    }
}
