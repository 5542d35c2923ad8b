package io.meridian.identity.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Identity's settings ({@code meridian.identity.*}). */
@ConfigMapping(prefix = "meridian.identity")
public interface IdentityConfig {

    Subjects subjects();

    Keycloak keycloak();

    /** How often expired grants are looked for (read by the scheduler of {@code GrantExpiry}). */
    @WithDefault("10s")
    Duration expirySweep();

    /** How Keycloak subjects become Kubernetes subjects; must match the clusters' OIDC prefixes. */
    interface Subjects {
        /** Prefix of Kubernetes group names, as in the API server's {@code --oidc-groups-prefix}. */
        @WithDefault("oidc:")
        String groupPrefix();

        /** Prefix of Kubernetes user names, as in the API server's {@code --oidc-username-prefix}. */
        @WithDefault("oidc:")
        String userPrefix();
    }

    /** The Keycloak admin REST API, used to check that a granted group or user exists. */
    interface Keycloak {
        /** Whether subjects are checked; off only where no Keycloak is reachable. */
        @WithDefault("true")
        boolean checkSubjects();

        /**
         * Base URL of Keycloak without {@code /realms}, e.g. {@code http://127.0.0.1:8180}; by default taken from
         * {@code quarkus.oidc.auth-server-url}, the realm that issues the tokens this service accepts.
         */
        Optional<String> url();

        /** The realm whose groups and users are granted; by default the one of {@code quarkus.oidc.auth-server-url}. */
        Optional<String> realm();

        /**
         * A confidential client with a service account holding the realm-management roles view-users, query-users,
         * query-groups and view-realm; by default the service's own OIDC client.
         */
        @WithDefault("${quarkus.oidc.client-id}")
        String clientId();

        /** Its secret, by default the service's OIDC client secret ({@code QUARKUS_OIDC_CREDENTIALS_SECRET}); never logged. */
        Optional<String> clientSecret();

        @WithDefault("5s")
        Duration timeout();
    }
}
