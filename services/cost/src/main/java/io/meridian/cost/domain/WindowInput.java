package io.meridian.cost.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything one allocation window needs: per cluster its nodes, pods (with usage), claims and volumes, and the
 * cross-cluster traffic of the window.
 */
public record WindowInput(Instant start, Instant end, List<ClusterInput> clusters, List<Traffic> traffic) {

    public WindowInput {
        clusters = List.copyOf(clusters);
        traffic = traffic == null ? List.of() : List.copyOf(traffic);
    }

    /** Length of the window in hours. */
    public double hours() {
        return Duration.between(start, end).toMillis() / 3_600_000.0;
    }

    /**
     * One cluster in the window.
     *
     * @param priorInternetEgressGB what the cluster already sent to other clouds this month, for the volume tiers
     */
    public record ClusterInput(
            String clusterId,
            String cloud,
            String region,
            List<NodeFacts> nodes,
            List<PodInput> pods,
            List<ClaimInput> claims,
            List<VolumeInput> volumes,
            Map<String, Map<String, String>> namespaceLabels,
            double priorInternetEgressGB) {

        public ClusterInput {
            namespaceLabels = namespaceLabels == null ? Map.of() : namespaceLabels;
            claims = claims == null ? List.of() : claims;
            volumes = volumes == null ? List.of() : volumes;
        }
    }

    /**
     * A pod that ran in the window for {@code runningFraction} of it, on {@code node}, owned by a workload.
     *
     * @param claims names of the PersistentVolumeClaims it mounts
     */
    public record PodInput(
            String namespace,
            String name,
            String node,
            String workloadKind,
            String workloadName,
            Map<String, String> labels,
            List<ContainerInput> containers,
            double runningFraction,
            List<String> claims) {

        public PodInput {
            labels = labels == null ? Map.of() : labels;
            claims = claims == null ? List.of() : claims;
        }
    }

    /**
     * A container's requests and average usage over the window ({@code NaN}: no usage known, requests alone count).
     */
    public record ContainerInput(
            String name,
            double cpuRequestCores,
            double ramRequestBytes,
            double gpuRequest,
            double cpuUsageCores,
            double ramUsageBytes) {}

    /** A PersistentVolumeClaim and the storage it requests. */
    public record ClaimInput(String namespace, String name, String storageClass, double requestBytes) {}

    /** A PersistentVolume: provisioned storage, the asset the claims are cut from. */
    public record VolumeInput(String name, String storageClass, double capacityBytes) {}

    /** Bytes one workload sent to a workload in another cluster during the window. */
    public record Traffic(
            String sourceCluster,
            String sourceNamespace,
            String sourceWorkload,
            String destinationCluster,
            String destinationNamespace,
            String destinationWorkload,
            double bytes) {}
}
