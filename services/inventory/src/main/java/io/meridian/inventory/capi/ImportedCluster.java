package io.meridian.inventory.capi;

import io.meridian.contracts.cluster.Cloud;
import java.util.Map;
import java.util.Objects;

/**
 * A cluster found through Cluster API, ready to be registered.
 *
 * @param name the CAPI cluster's {@code metadata.name}; unique only together with {@code namespace}
 * @param namespace the namespace of the CAPI {@code Cluster} in the management cluster
 * @param cloud from the infrastructure or control-plane provider kind; {@link Cloud#OTHER} when not recognised
 * @param region from the {@code topology.kubernetes.io/region} label or a {@code region}/{@code location} topology
 *     variable; null when unknown
 * @param labels the cluster's labels without Cluster API internals, plus the Meridian source labels
 * @param kubeconfig the kubeconfig from the {@code <name>-kubeconfig} secret; null when the secret is missing
 * @param phase {@code status.phase} (Pending, Provisioning, Provisioned, Deleting, Failed, Unknown); null if unset
 */
public record ImportedCluster(
        String name,
        String namespace,
        Cloud cloud,
        String region,
        Map<String, String> labels,
        String kubeconfig,
        String phase) {

    public ImportedCluster {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(cloud, "cloud");
        labels = Map.copyOf(labels);
    }

    public boolean hasKubeconfig() {
        return kubeconfig != null;
    }

    @Override
    public String toString() {
        return "ImportedCluster[name=" + name + ", namespace=" + namespace + ", cloud=" + cloud + ", region="
                + region + ", labels=" + labels + ", kubeconfig=" + (kubeconfig == null ? "none" : "<redacted>")
                + ", phase=" + phase + "]";
    }
}
