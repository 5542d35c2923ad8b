package io.meridian.identity.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.identity.domain.Approver;
import io.meridian.identity.domain.FieldProblem;
import io.meridian.servicekit.Problem;
import io.meridian.servicekit.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import java.io.IOException;
import java.net.URI;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Shared edges of the REST resources. */
final class Callers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Callers() {}

    static void reject(List<FieldProblem> problems) {
        if (!problems.isEmpty()) {
            throw ProblemException.invalid(problems.stream()
                    .map(p -> new Problem.FieldError(p.field(), p.message()))
                    .toList());
        }
    }

    static ProblemException invalidSubject(io.meridian.identity.domain.Subject subject) {
        return ProblemException.invalid(
                "subject.name", "no " + subject.kind().wireName() + " '" + subject.name() + "' exists in Keycloak");
    }

    static ProblemException forbidden(String detail) {
        return new ProblemException(Problem.of(403, "Forbidden", detail));
    }

    /** A 403 naming each field that stands in the way and what to do about it. */
    static ProblemException forbidden(String detail, List<FieldProblem> problems) {
        return new ProblemException(new Problem(
                URI.create("about:blank"),
                "Forbidden",
                403,
                detail,
                null,
                problems.stream()
                        .map(p -> new Problem.FieldError(p.field(), p.message()))
                        .toList()));
    }

    /**
     * The caller as an approver: principal name, preferred username, and the groups claim, null when the token has none.
     * The claim is read from the verified token itself: the principal reports an absent {@code groups} claim as an
     * empty one, which would let a token without it pass for "member of nothing".
     */
    static Approver approver(SecurityIdentity identity) {
        String name = identity.getPrincipal().getName();
        if (!(identity.getPrincipal() instanceof JsonWebToken token) || token.getRawToken() == null) {
            return new Approver(name, null, null);
        }
        JsonNode claims = claims(token.getRawToken());
        String username = claims.path("preferred_username").isTextual()
                ? claims.path("preferred_username").asText()
                : null;
        Set<String> groups = null;
        JsonNode claim = claims.get("groups");
        if (claim != null && claim.isArray()) {
            groups = new HashSet<>();
            for (JsonNode group : claim) {
                groups.add(group.asText());
            }
        } else if (claim != null && claim.isTextual()) {
            groups = Set.of(claim.asText());
        }
        return new Approver(name, username, groups);
    }

    private static JsonNode claims(String rawToken) {
        String[] parts = rawToken.split("\\.");
        if (parts.length < 2) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | IllegalArgumentException e) {
            return JSON.createObjectNode(); // verified already; unreadable claims only lose the groups claim
        }
    }
}
