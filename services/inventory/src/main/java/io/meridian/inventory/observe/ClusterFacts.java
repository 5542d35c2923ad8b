package io.meridian.inventory.observe;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.meridian.contracts.cluster.Cloud;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a cluster's Nodes and API server say about the cluster as a whole; {@code detectedCloud} and
 * {@code detectedRegion} are {@code null} when no node tells, and {@code nodesByRegion} counts nodes per region.
 */
public record ClusterFacts(
        String kubernetesVersion,
        int nodeCount,
        int readyNodeCount,
        long allocatableCpuMillis,
        long allocatableMemoryBytes,
        Cloud detectedCloud,
        String detectedRegion,
        int spotNodeCount,
        SortedMap<String, Integer> nodesByRegion) {

    static final String REGION = "topology.kubernetes.io/region";
    static final String LEGACY_REGION = "failure-domain.beta.kubernetes.io/region";
    static final String INSTANCE_TYPE = "node.kubernetes.io/instance-type";

    // Cloud providers' node labels: the prefix alone says which cloud manages the node.
    private static final List<Map.Entry<String, Cloud>> LABEL_PREFIXES = List.of(
            Map.entry("eks.amazonaws.com/", Cloud.AWS),
            Map.entry("kubernetes.azure.com/", Cloud.AZURE),
            Map.entry("cloud.google.com/", Cloud.GCP));
    private static final Map<String, Cloud> PROVIDER_ID_SCHEMES = Map.of(
            "aws", Cloud.AWS,
            "azure", Cloud.AZURE,
            "gce", Cloud.GCP,
            // Providers of nodes in one's own data centre or on one's own machine.
            "vsphere", Cloud.ONPREM,
            "openstack", Cloud.ONPREM,
            "metal3", Cloud.ONPREM,
            "baremetal", Cloud.ONPREM,
            "kind", Cloud.ONPREM,
            "k3s", Cloud.ONPREM,
            "kubevirt", Cloud.ONPREM);
    private static final Pattern AWS_INSTANCE_TYPE = Pattern.compile("[a-z][a-z0-9-]*\\.[0-9]*[a-z]+[0-9]*");
    private static final Pattern AWS_REGION = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]");
    private static final Map<String, Set<String>> SPOT_LABELS = Map.of(
            "eks.amazonaws.com/capacityType", Set.of("spot"),
            "karpenter.sh/capacity-type", Set.of("spot"),
            "kubernetes.azure.com/scalesetpriority", Set.of("spot"),
            "cloud.google.com/gke-spot", Set.of("true"),
            "cloud.google.com/gke-preemptible", Set.of("true"));

    public ClusterFacts {
        nodesByRegion =
                Collections.unmodifiableSortedMap(new TreeMap<>(nodesByRegion == null ? Map.of() : nodesByRegion));
    }

    /** Computes the facts from all Nodes of a cluster and the API server's {@code gitVersion} (e.g. {@code v1.31.4}). */
    public static ClusterFacts of(List<Node> nodes, String kubernetesVersion) {
        Objects.requireNonNull(nodes, "nodes");
        long cpuMillis = 0;
        long memoryBytes = 0;
        int ready = 0;
        int spot = 0;
        SortedMap<String, Integer> regions = new TreeMap<>();
        Map<Cloud, Integer> clouds = new EnumMap<>(Cloud.class);
        for (Node node : nodes) {
            Map<String, String> labels = labels(node);
            cpuMillis += allocatable(node, "cpu", KubernetesQuantity::millisRoundedUp);
            memoryBytes += allocatable(node, "memory", KubernetesQuantity::unitsRoundedUp);
            if (isReady(node)) {
                ready++;
            }
            if (isSpot(labels)) {
                spot++;
            }
            String region = region(labels);
            if (region != null) {
                regions.merge(region, 1, Integer::sum);
            }
            clouds.merge(cloudOf(node, labels, region), 1, Integer::sum);
        }
        return new ClusterFacts(
                kubernetesVersion,
                nodes.size(),
                ready,
                cpuMillis,
                memoryBytes,
                majority(clouds),
                majority(regions),
                spot,
                regions);
    }

    /**
     * Where the nodes disagree with how the cluster was registered, as sentences for an operator; empty when they
     * agree or when either side does not tell.
     */
    public List<String> warnings(Cloud registeredCloud, String registeredRegion) {
        List<String> warnings = new ArrayList<>();
        boolean cloudDiffers = registeredCloud != null
                && detectedCloud != null
                && registeredCloud != detectedCloud
                // "onprem" is what we detect when no cloud is recognised; it does not contradict "other".
                && !(isUnrecognised(registeredCloud) && isUnrecognised(detectedCloud));
        boolean regionDiffers = registeredRegion != null
                && detectedRegion != null
                && !registeredRegion.equalsIgnoreCase(detectedRegion);
        if (cloudDiffers || regionDiffers) {
            warnings.add("registered as " + describe(registeredCloud, registeredRegion) + " but nodes report "
                    + describe(detectedCloud, detectedRegion));
        } else if (registeredRegion != null && nodesByRegion.size() > 1) {
            Map<String, Integer> elsewhere = nodesByRegion.entrySet().stream()
                    .filter(e -> !e.getKey().equalsIgnoreCase(registeredRegion))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, Integer::sum, TreeMap::new));
            int count = elsewhere.values().stream().mapToInt(Integer::intValue).sum();
            warnings.add(count + " of " + nodeCount + " nodes report a region other than the registered "
                    + registeredRegion + ": "
                    + elsewhere.entrySet().stream()
                            .map(e -> e.getKey() + " (" + e.getValue() + ")")
                            .collect(Collectors.joining(", ")));
        }
        return List.copyOf(warnings);
    }

    private static boolean isUnrecognised(Cloud cloud) {
        return cloud == Cloud.ONPREM || cloud == Cloud.OTHER;
    }

    private static String describe(Cloud cloud, String region) {
        String name = cloud == null ? "unknown" : cloud.name().toLowerCase(Locale.ROOT);
        return region == null ? name : name + "/" + region;
    }

    static Cloud cloudOf(Node node, Map<String, String> labels, String region) {
        String providerId = node.getSpec() == null ? null : node.getSpec().getProviderID();
        if (providerId != null && providerId.contains("://")) {
            String scheme = providerId.substring(0, providerId.indexOf("://")).toLowerCase(Locale.ROOT);
            return PROVIDER_ID_SCHEMES.getOrDefault(scheme, Cloud.OTHER);
        }
        for (var prefix : LABEL_PREFIXES) {
            if (labels.keySet().stream().anyMatch(key -> key.startsWith(prefix.getKey()))) {
                return prefix.getValue();
            }
        }
        String instanceType = labels.get(INSTANCE_TYPE);
        if (instanceType != null
                && region != null
                && AWS_INSTANCE_TYPE.matcher(instanceType).matches()
                && AWS_REGION.matcher(region).matches()) {
            return Cloud.AWS;
        }
        return Cloud.ONPREM;
    }

    private static String region(Map<String, String> labels) {
        String region = labels.get(REGION);
        return region != null && !region.isBlank() ? region : blankToNull(labels.get(LEGACY_REGION));
    }

    private static boolean isSpot(Map<String, String> labels) {
        return SPOT_LABELS.entrySet().stream().anyMatch(e -> {
            String value = labels.get(e.getKey());
            return value != null && e.getValue().contains(value.toLowerCase(Locale.ROOT));
        });
    }

    private static boolean isReady(Node node) {
        return node.getStatus() != null
                && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Allocatable amount of one resource; an unreadable quantity counts as nothing, like a missing one. */
    private static long allocatable(Node node, String resource, Function<KubernetesQuantity, Long> unit) {
        Map<String, Quantity> allocatable =
                node.getStatus() == null ? null : node.getStatus().getAllocatable();
        Quantity quantity = allocatable == null ? null : allocatable.get(resource);
        if (quantity == null) {
            return 0;
        }
        try {
            return unit.apply(KubernetesQuantity.of(quantity));
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    /** The most frequent key; ties go to the first key in the map's order, so the result is deterministic. */
    private static <K> K majority(Map<K, Integer> counts) {
        K best = null;
        int bestCount = 0;
        for (var entry : counts.entrySet()) {
            if (entry.getValue() > bestCount) {
                best = entry.getKey();
                bestCount = entry.getValue();
            }
        }
        return best;
    }

    private static Map<String, String> labels(Node node) {
        return node.getMetadata() == null || node.getMetadata().getLabels() == null
                ? Map.of()
                : node.getMetadata().getLabels();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
