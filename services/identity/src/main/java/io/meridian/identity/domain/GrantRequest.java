package io.meridian.identity.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What a caller asks for when creating a grant, before validation; any field may be missing. */
public record GrantRequest(
        String subjectKind,
        String subjectName,
        String role,
        Map<String, String> labels,
        String cloud,
        String environment,
        List<String> namespaces,
        Instant expiresAt,
        String reason) {}
