package io.meridian.identity.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The body of {@code POST /api/v1/grants}. */
public record GrantInput(
        SubjectInput subject,
        String role,
        ScopeInput scope,
        List<String> namespaces,
        Instant expiresAt,
        String reason) {

    /** A Keycloak group (name or path) or user (username). */
    public record SubjectInput(String kind, String name) {}

    /** Cluster selector: labels, cloud, environment; all optional (empty: the whole fleet). */
    public record ScopeInput(Map<String, String> labels, String cloud, String environment) {}
}
