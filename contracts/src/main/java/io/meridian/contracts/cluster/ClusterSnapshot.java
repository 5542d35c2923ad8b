package io.meridian.contracts.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The whole known state of one registered cluster, published on every change with an increasing
 * {@code revision}; the latest snapshot per clusterId is what a compacted consumer keeps. {@code displayName},
 * {@code metricsUrl}, {@code kubernetesVersion}, {@code detectedCloud} and {@code detectedRegion} may be
 * {@code null} (the latter three until inventory first reached the cluster). Never carries credentials.
 */
public record ClusterSnapshot(
        String clusterId,
        String name,
        String displayName,
        Cloud cloud,
        String region,
        String environment,
        Map<String, String> labels,
        String apiServerUrl,
        String metricsUrl,
        ClusterPhase phase,
        List<Condition> conditions,
        String kubernetesVersion,
        int nodeCount,
        long allocatableCpuMillis,
        long allocatableMemoryBytes,
        Cloud detectedCloud,
        String detectedRegion,
        List<String> warnings,
        long revision,
        Instant observedAt) {

    public ClusterSnapshot {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** The record key on {@code fleet.clusters.v1}. */
    public String key() {
        return clusterId;
    }
}
