package io.meridian.testsupport;

import io.smallrye.jwt.build.Jwt;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bearer tokens shaped like Keycloak's (roles in {@code realm_access.roles}, team groups in {@code
 * groups}, the services in {@code aud}), signed with the key of {@code OidcWiremockTestResource} so services under
 * test accept them.
 */
public final class Tokens {

    /** Issuer the WireMock OIDC server announces (the services' test profile expects it). */
    public static final String ISSUER = "https://server.example.com";

    public static final String ADMIN = "fleet-admin";
    public static final String OPERATOR = "fleet-operator";
    public static final String VIEWER = "fleet-viewer";

    /**
     * Every service's OIDC client id: a service accepts only a token whose {@code aud} names its own. The realm's
     * {@code meridian-cli} client puts all of them in its tokens (deploy/keycloak/meridian-realm.json), and so do
     * these.
     */
    public static final List<String> SERVICE_AUDIENCES = List.of(
            "meridian-inventory",
            "meridian-identity",
            "meridian-policy",
            "meridian-cost",
            "meridian-observability",
            "meridian-placement");

    private Tokens() {}

    /** A token for {@code user} holding the given realm roles, for every service. */
    public static String forUser(String user, String... realmRoles) {
        return forUser(user, Set.of(realmRoles), List.of());
    }

    /** A token for {@code user} holding the given realm roles and team groups, for every service. */
    public static String forUser(String user, Set<String> realmRoles, List<String> groups) {
        return token(user, SERVICE_AUDIENCES, realmRoles, groups);
    }

    /** A token for {@code user} holding the given realm roles whose {@code aud} is exactly {@code audience}. */
    public static String forAudience(Collection<String> audience, String user, String... realmRoles) {
        return token(user, audience, Set.of(realmRoles), List.of());
    }

    /** Every service audience but {@code clientId}: a token meant for the other services only. */
    public static List<String> audiencesExcept(String clientId) {
        return SERVICE_AUDIENCES.stream().filter(a -> !a.equals(clientId)).toList();
    }

    /** "Bearer ..." header value of a token for every service. */
    public static String bearer(String user, String... realmRoles) {
        return "Bearer " + forUser(user, realmRoles);
    }

    private static String token(String user, Collection<String> audience, Set<String> realmRoles, List<String> groups) {
        Instant now = Instant.now();
        var claims = Jwt.issuer(ISSUER)
                .audience(Set.copyOf(audience))
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
}
