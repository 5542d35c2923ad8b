package io.meridian.cli.auth;

import io.meridian.cli.CliEnvironment;
import io.meridian.cli.CliException;
import io.meridian.cli.config.Context;

/** The access token of a context for a call: the cached one while valid, else refreshed and cached again. */
public final class AccessTokens {

    private final String contextName;
    private final TokenCache cache;
    private final KeycloakClient keycloak;
    private final CliEnvironment environment;

    public AccessTokens(String contextName, Context context, TokenCache cache, CliEnvironment environment) {
        this.contextName = contextName;
        this.cache = cache;
        this.keycloak = new KeycloakClient(context, environment);
        this.environment = environment;
    }

    /** A valid access token, or a {@link CliException} saying to log in. */
    public String accessToken() {
        Token token = cache.get(contextName)
                .orElseThrow(
                        () -> new CliException("not logged in to context '" + contextName + "': run meridian login"));
        if (token.accessValidAt(environment.clock().instant())) {
            return token.accessToken();
        }
        if (!token.refreshValidAt(environment.clock().instant())) {
            throw new CliException("the session of context '" + contextName + "' has expired: run meridian login");
        }
        Token refreshed;
        try {
            refreshed = keycloak.refresh(token.refreshToken());
        } catch (KeycloakClient.OAuthException e) {
            // Keycloak ended the session (logout, restart, idle timeout): only a new login helps.
            throw new CliException("the session of context '" + contextName + "' cannot be refreshed (" + e.getMessage()
                    + "): run meridian login");
        }
        cache.put(contextName, refreshed);
        return refreshed.accessToken();
    }
}
