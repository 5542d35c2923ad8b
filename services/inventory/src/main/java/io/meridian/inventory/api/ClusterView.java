package io.meridian.inventory.api;

import io.meridian.contracts.cluster.Condition;
import io.meridian.inventory.persistence.ClusterRegistry;
import io.meridian.inventory.persistence.ClusterStatusEntity;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A cluster as the API shows it: registration and observed status, never credentials. */
public record ClusterView(
        String name,
        String displayName,
        String cloud,
        String region,
        String environment,
        Map<String, String> labels,
        String apiServerUrl,
        String metricsUrl,
        Credentials credentials,
        String source,
        Instant createdAt,
        Instant updatedAt,
        Status status) {

    /** Which kind of credentials is stored, without any part of them. */
    public record Credentials(String kind) {}

    /** What inventory last observed. */
    public record Status(
            String phase,
            List<Condition> conditions,
            String kubernetesVersion,
            int nodeCount,
            long allocatableCpuMillis,
            long allocatableMemoryBytes,
            String detectedCloud,
            String detectedRegion,
            List<String> warnings,
            Instant observedAt) {}

    static ClusterView of(ClusterRegistry.Registered registered) {
        var c = registered.cluster();
        ClusterStatusEntity s = registered.status();
        Status status = s == null
                ? new Status("Pending", List.of(), null, 0, 0, 0, null, null, List.of(), null)
                : new Status(
                        s.phase,
                        s.conditionList(),
                        s.kubernetesVersion,
                        s.nodeCount,
                        s.allocatableCpuMillis,
                        s.allocatableMemoryBytes,
                        s.detectedCloud,
                        s.detectedRegion,
                        s.warningList(),
                        s.observedAt == null ? null : s.observedAt.toInstant());
        return new ClusterView(
                c.name,
                c.displayName,
                c.cloud,
                c.region,
                c.environment,
                c.labels == null ? Map.of() : c.labels,
                c.apiServerUrl,
                c.metricsUrl,
                new Credentials(c.credentialKind),
                c.source,
                c.createdAt.toInstant(),
                c.updatedAt.toInstant(),
                status);
    }
}
