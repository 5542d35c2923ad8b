package io.meridian.testsupport;

import io.smallrye.jwt.build.Jwt;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bearer tokens shaped like Keycloak's (roles in {@code realm_access.roles}, team groups in {@code
 * groups}), signed with the key of {@code OidcWiremockTestResource} so services under test accept them.
 */
public final class Tokens {

    /** Issuer and audience the WireMock OIDC server announces. */
    public static final String ISSUER = "https://server.example.com";

    public static final String ADMIN = "fleet-admin";
    public static final String OPERATOR = "fleet-operator";
    public static final String VIEWER = "fleet-viewer";

    private Tokens() {}

    /** A token for {@code user} holding the given realm roles. */
    public static String forUser(String user, String... realmRoles) {
        return forUser(user, Set.of(realmRoles), List.of());
    }

    public static String forUser(String user, Set<String> realmRoles, List<String> groups) {
        Instant now = Instant.now();
        var claims = Jwt.issuer(ISSUER)
                .audience(ISSUER)
                .subject(user)
                .preferredUserName(user)
                .claim("realm_access", Map.of("roles", List.copyOf(realmRoles)))
                .issuedAt(now)
                .expiresAt(now.plus(Duration.ofHours(1)));
        if (!groups.isEmpty()) {
            claims.groups(Set.copyOf(groups));
        }
        return claims.jws().keyId("1").sign("privateKey.jwk");
    }

    /** "Bearer ..." header value. */
    public static String bearer(String user, String... realmRoles) {
        return "Bearer " + forUser(user, realmRoles);
    }
}
