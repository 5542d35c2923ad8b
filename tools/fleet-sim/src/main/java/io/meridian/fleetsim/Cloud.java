package io.meridian.fleetsim;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A cloud the simulator knows how to imitate, with the facts that make its clusters look real. */
public enum Cloud {
    AWS(
            List.of(
                    new Region("us-east-1", "use1", List.of("us-east-1a", "us-east-1b", "us-east-1c")),
                    new Region("eu-west-1", "euw1", List.of("eu-west-1a", "eu-west-1b", "eu-west-1c"))),
            List.of(
                    new InstanceType("m6i.xlarge", 4, 16, 58),
                    new InstanceType("c6i.2xlarge", 8, 16, 58),
                    new InstanceType("r6i.xlarge", 4, 32, 58)),
            Map.of("eks.amazonaws.com/capacityType", "SPOT", "karpenter.sh/capacity-type", "spot"),
            Map.of("eks.amazonaws.com/capacityType", "ON_DEMAND", "karpenter.sh/capacity-type", "on-demand"),
            new StorageFlavour("gp3", "ebs.csi.aws.com", Map.of("type", "gp3", "fsType", "ext4")),
            "-eks-2d5f260",
            "AWSCluster"),
    AZURE(
            List.of(
                    new Region("westeurope", "weu", List.of("westeurope-1", "westeurope-2", "westeurope-3")),
                    new Region("eastus", "eus", List.of("eastus-1", "eastus-2", "eastus-3"))),
            List.of(new InstanceType("Standard_D4s_v5", 4, 16, 110), new InstanceType("Standard_E4s_v5", 4, 32, 110)),
            Map.of("kubernetes.azure.com/scalesetpriority", "spot"),
            Map.of(),
            new StorageFlavour("managed-csi", "disk.csi.azure.com", Map.of("skuname", "StandardSSD_LRS")),
            "",
            "AzureCluster"),
    GCP(
            List.of(
                    new Region("europe-west1", "euw1", List.of("europe-west1-b", "europe-west1-c", "europe-west1-d")),
                    new Region("us-central1", "usc1", List.of("us-central1-a", "us-central1-b", "us-central1-f"))),
            List.of(new InstanceType("n2-standard-4", 4, 16, 110), new InstanceType("e2-standard-4", 4, 16, 110)),
            Map.of("cloud.google.com/gke-spot", "true"),
            Map.of(),
            new StorageFlavour("pd-balanced", "pd.csi.storage.gke.io", Map.of("type", "pd-balanced")),
            "-gke.1256000",
            "GCPCluster"),
    ONPREM(
            List.of(
                    new Region("dc1", "dc1", List.of("dc1-rack-a", "dc1-rack-b")),
                    new Region("dc2", "dc2", List.of("dc2-rack-a", "dc2-rack-b"))),
            List.of(new InstanceType("baremetal-r650", 32, 256, 110)),
            Map.of(),
            Map.of(),
            new StorageFlavour(
                    "ceph-rbd",
                    "rbd.csi.ceph.com",
                    Map.of("clusterID", "rook-ceph", "pool", "replicapool", "imageFeatures", "layering")),
            "",
            "Metal3Cluster");

    private final List<Region> regions;
    private final List<InstanceType> instanceTypes;
    private final Map<String, String> spotLabels;
    private final Map<String, String> onDemandLabels;
    private final StorageFlavour storage;
    private final String versionSuffix;
    private final String capiInfrastructureKind;

    Cloud(
            List<Region> regions,
            List<InstanceType> instanceTypes,
            Map<String, String> spotLabels,
            Map<String, String> onDemandLabels,
            StorageFlavour storage,
            String versionSuffix,
            String capiInfrastructureKind) {
        this.regions = regions;
        this.instanceTypes = instanceTypes;
        this.spotLabels = spotLabels;
        this.onDemandLabels = onDemandLabels;
        this.storage = storage;
        this.versionSuffix = versionSuffix;
        this.capiInfrastructureKind = capiInfrastructureKind;
    }

    /** The lower-case name inventory expects on the wire. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** How people write the cloud's name. */
    public String displayName() {
        return switch (this) {
            case AWS -> "AWS";
            case AZURE -> "Azure";
            case GCP -> "GCP";
            case ONPREM -> "On-prem";
        };
    }

    public static Cloud fromWire(String name) {
        for (Cloud c : values()) {
            if (c.wireName().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown cloud '" + name + "' (expected aws, azure, gcp or onprem)");
    }

    public List<Region> regions() {
        return regions;
    }

    public Region region(String name) {
        return regions.stream()
                .filter(r -> r.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown region '" + name + "' for " + wireName() + " (expected one of "
                                + regions.stream().map(Region::name).toList() + ")"));
    }

    public List<InstanceType> instanceTypes() {
        return instanceTypes;
    }

    /** The labels this cloud puts on spot or preemptible nodes; empty on-prem, where there are none. */
    public Map<String, String> spotLabels() {
        return spotLabels;
    }

    public Map<String, String> onDemandLabels() {
        return onDemandLabels;
    }

    public boolean hasSpot() {
        return !spotLabels.isEmpty();
    }

    public StorageFlavour storage() {
        return storage;
    }

    /** What the managed offering appends to the Kubernetes version, e.g. {@code -eks-2d5f260}. */
    public String versionSuffix() {
        return versionSuffix;
    }

    /** The Cluster API infrastructure kind of this cloud's provider (CAPA, CAPZ, CAPG, Metal3). */
    public String capiInfrastructureKind() {
        return capiInfrastructureKind;
    }

    /** A region with its short code (used in cluster names) and zones. */
    public record Region(String name, String code, List<String> zones) {}

    /** A machine size with capacity, as the cloud sells it. */
    public record InstanceType(String name, int cpuCores, int memoryGi, int maxPods) {}

    /** The cloud's usual CSI storage class. */
    public record StorageFlavour(String className, String provisioner, Map<String, String> parameters) {}
}
