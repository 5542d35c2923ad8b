package io.meridian.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * A cached OAuth 2.0 token: the access token and when it expires, and the refresh token (may be null) and when that
 * expires (null when the server did not say).
 */
public record Token(String accessToken, Instant expiresAt, String refreshToken, Instant refreshExpiresAt) {

    /** Treat a token as expired this long before it is, so it does not expire in flight. */
    static final Duration EARLY = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whether the access token is still good at {@code now}. */
    public boolean accessValidAt(Instant now) {
        return now.plus(EARLY).isBefore(expiresAt);
    }

    /** Whether the refresh token can still be used at {@code now}. */
    public boolean refreshValidAt(Instant now) {
        return refreshToken != null
                && (refreshExpiresAt == null || now.plus(EARLY).isBefore(refreshExpiresAt));
    }

    /** The user the access token was issued to ({@code preferred_username}), read without verifying it. */
    public Optional<String> userName() {
        String[] parts = accessToken.split("\\.");
        if (parts.length < 2) {
            return Optional.empty();
        }
        try {
            JsonNode claims =
                    JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            return Optional.ofNullable(claims.path("preferred_username").textValue());
        } catch (Exception notAJwt) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "Token[expiresAt=" + expiresAt + ", refreshExpiresAt=" + refreshExpiresAt + "]";
    }
}
