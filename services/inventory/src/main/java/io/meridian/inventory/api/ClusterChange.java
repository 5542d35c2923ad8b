package io.meridian.inventory.api;

import java.util.Map;

/**
 * The body of {@code PATCH /api/v1/clusters/{name}}: fields left out stay as they are; {@code labels}
 * replaces the whole label set; {@code credentials} replaces the credentials. Name and cloud never change.
 */
public record ClusterChange(
        String displayName,
        String region,
        String environment,
        Map<String, String> labels,
        String metricsUrl,
        CredentialsInput credentials) {}
