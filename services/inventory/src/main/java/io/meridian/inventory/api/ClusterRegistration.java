package io.meridian.inventory.api;

import java.util.Map;

/** The body of {@code POST /api/v1/clusters}. */
public record ClusterRegistration(
        String name,
        String displayName,
        String cloud,
        String region,
        String environment,
        Map<String, String> labels,
        String apiServerUrl,
        String metricsUrl,
        CredentialsInput credentials) {}
