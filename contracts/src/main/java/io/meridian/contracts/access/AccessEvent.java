package io.meridian.contracts.access;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One step in the life of an access grant: a subject gets a role on the clusters whose labels match
 * {@code clusterSelector}, in {@code namespaces} (empty: cluster-wide), until {@code expiresAt} if set.
 * {@code actor} is who or what took the step, {@code reason} why (may be {@code null}).
 */
public record AccessEvent(
        String grantId,
        AccessSubject subject,
        String role,
        Map<String, String> clusterSelector,
        List<String> namespaces,
        Instant expiresAt,
        String actor,
        String reason,
        Instant at) {

    public AccessEvent {
        clusterSelector = clusterSelector == null ? Map.of() : Map.copyOf(clusterSelector);
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    }

    /** The record key on {@code fleet.access.v1}. */
    public String key() {
        return subject.key();
    }
}
