package io.meridian.inventory.persistence;

import io.meridian.contracts.cluster.Cloud;
import io.meridian.contracts.cluster.ClusterPhase;
import io.meridian.contracts.cluster.ClusterSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Builds the contract snapshot of a cluster from its registration and its last observed status. */
public final class ClusterSnapshots {

    private ClusterSnapshots() {}

    public static ClusterSnapshot of(
            ClusterEntity cluster, ClusterStatusEntity status, ClusterPhase phaseOverride, long revision, Instant at) {
        ClusterPhase phase = phaseOverride != null
                ? phaseOverride
                : status == null ? ClusterPhase.Pending : ClusterPhase.valueOf(status.phase);
        return new ClusterSnapshot(
                cluster.name,
                cluster.name,
                cluster.displayName,
                Cloud.fromWire(cluster.cloud).orElse(Cloud.OTHER),
                cluster.region,
                cluster.environment,
                cluster.labels == null ? Map.of() : cluster.labels,
                cluster.apiServerUrl,
                cluster.metricsUrl,
                phase,
                status == null ? List.of() : status.conditionList(),
                status == null ? null : status.kubernetesVersion,
                status == null ? 0 : status.nodeCount,
                status == null ? 0 : status.allocatableCpuMillis,
                status == null ? 0 : status.allocatableMemoryBytes,
                status == null || status.detectedCloud == null
                        ? null
                        : Cloud.fromWire(status.detectedCloud).orElse(null),
                status == null ? null : status.detectedRegion,
                status == null ? List.of() : status.warningList(),
                revision,
                at);
    }
}
