package io.meridian.inventory.capi;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.meridian.contracts.cluster.Cloud;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/** Maps a Cluster API {@code Cluster} (cluster.x-k8s.io v1beta1 or v1beta2) and its kubeconfig secret to Meridian. */
public final class ClusterApiMapping {

    public static final String GROUP = "cluster.x-k8s.io";
    public static final String SOURCE_LABEL = "meridian.io/source";
    public static final String SOURCE_CAPI = "capi";
    public static final String CAPI_NAMESPACE_LABEL = "meridian.io/capi-namespace";
    static final String REGION_LABEL = "topology.kubernetes.io/region";
    static final String KUBECONFIG_KEY = "value";

    private static final Set<String> SUPPORTED_VERSIONS = Set.of(GROUP + "/v1beta1", GROUP + "/v1beta2");
    private static final List<String> REGION_VARIABLES = List.of("region", "location");

    // Infrastructure and control-plane kinds of the cloud providers (CAPA, CAPZ, CAPG); anything else is OTHER.
    private static final Map<String, Cloud> PROVIDER_KINDS = Map.ofEntries(
            Map.entry("AWSCluster", Cloud.AWS),
            Map.entry("AWSManagedCluster", Cloud.AWS),
            Map.entry("AWSManagedControlPlane", Cloud.AWS),
            Map.entry("ROSACluster", Cloud.AWS),
            Map.entry("ROSAControlPlane", Cloud.AWS),
            Map.entry("AzureCluster", Cloud.AZURE),
            Map.entry("AzureManagedCluster", Cloud.AZURE),
            Map.entry("AzureManagedControlPlane", Cloud.AZURE),
            Map.entry("AzureASOManagedCluster", Cloud.AZURE),
            Map.entry("AzureASOManagedControlPlane", Cloud.AZURE),
            Map.entry("GCPCluster", Cloud.GCP),
            Map.entry("GCPManagedCluster", Cloud.GCP),
            Map.entry("GCPManagedControlPlane", Cloud.GCP));

    private ClusterApiMapping() {}

    /** The secret in which Cluster API stores a cluster's admin kubeconfig, in the cluster's namespace. */
    public static String kubeconfigSecretName(String clusterName) {
        Objects.requireNonNull(clusterName, "clusterName");
        return clusterName + "-kubeconfig";
    }

    /**
     * Maps a CAPI cluster and, when it exists yet, its kubeconfig secret.
     *
     * @param kubeconfigSecret the {@link #kubeconfigSecretName} secret in the cluster's namespace, or null
     * @throws IllegalArgumentException when the object is not a CAPI cluster, the secret belongs to another cluster,
     *     or the secret's {@code data.value} is missing or not base64-encoded UTF-8
     */
    public static ImportedCluster map(GenericKubernetesResource cluster, Secret kubeconfigSecret) {
        Objects.requireNonNull(cluster, "cluster");
        if (!SUPPORTED_VERSIONS.contains(cluster.getApiVersion()) || !"Cluster".equals(cluster.getKind())) {
            throw new IllegalArgumentException("expected a Cluster of " + SUPPORTED_VERSIONS + ", got "
                    + cluster.getKind() + " of " + cluster.getApiVersion());
        }
        ObjectMeta meta = cluster.getMetadata();
        if (meta == null || blank(meta.getName()) || blank(meta.getNamespace())) {
            throw new IllegalArgumentException("CAPI Cluster has no metadata.name or metadata.namespace");
        }
        String name = meta.getName();
        String namespace = meta.getNamespace();
        Map<String, String> sourceLabels = meta.getLabels() == null ? Map.of() : meta.getLabels();

        return new ImportedCluster(
                name,
                namespace,
                cloudOf(cluster),
                regionOf(cluster, sourceLabels),
                labelsOf(sourceLabels, namespace),
                kubeconfigOf(name, namespace, kubeconfigSecret),
                stringAt(cluster, "status", "phase"));
    }

    /** The cloud of a CAPI cluster, by the kind of its infrastructure, else of its control plane. */
    public static Cloud cloudOf(GenericKubernetesResource cluster) {
        Cloud byInfrastructure = providerCloud(stringAt(cluster, "spec", "infrastructureRef", "kind"));
        return byInfrastructure != null
                ? byInfrastructure
                : Objects.requireNonNullElse(
                        providerCloud(stringAt(cluster, "spec", "controlPlaneRef", "kind")), Cloud.OTHER);
    }

    private static Cloud providerCloud(String kind) {
        // Map.of rejects null lookups.
        return kind == null ? null : PROVIDER_KINDS.get(kind);
    }

    private static String regionOf(GenericKubernetesResource cluster, Map<String, String> labels) {
        String label = labels.get(REGION_LABEL);
        if (!blank(label)) {
            return label;
        }
        if (at(cluster, "spec", "topology", "variables") instanceof List<?> variables) {
            for (String wanted : REGION_VARIABLES) {
                for (Object variable : variables) {
                    if (variable instanceof Map<?, ?> v
                            && wanted.equals(v.get("name"))
                            && v.get("value") instanceof String value
                            && !value.isBlank()) {
                        return value;
                    }
                }
            }
        }
        return null;
    }

    private static Map<String, String> labelsOf(Map<String, String> source, String namespace) {
        var labels = new TreeMap<String, String>();
        source.forEach((key, value) -> {
            // CAPI bookkeeping is meaningless outside the management cluster, and meridian.io/ is ours to set.
            if (!isCapiInternal(key) && !key.startsWith("meridian.io/")) {
                labels.put(key, value);
            }
        });
        labels.put(SOURCE_LABEL, SOURCE_CAPI);
        labels.put(CAPI_NAMESPACE_LABEL, namespace);
        return labels;
    }

    static boolean isCapiInternal(String labelKey) {
        int slash = labelKey.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String prefix = labelKey.substring(0, slash);
        return prefix.equals(GROUP) || prefix.endsWith("." + GROUP);
    }

    private static String kubeconfigOf(String clusterName, String namespace, Secret secret) {
        if (secret == null) {
            return null;
        }
        String expectedName = kubeconfigSecretName(clusterName);
        ObjectMeta meta = secret.getMetadata();
        if (meta == null || !expectedName.equals(meta.getName()) || !namespace.equals(meta.getNamespace())) {
            throw new IllegalArgumentException("expected secret " + namespace + "/" + expectedName + ", got "
                    + (meta == null ? "a secret without metadata" : meta.getNamespace() + "/" + meta.getName()));
        }
        String where = "secret " + namespace + "/" + expectedName;
        String encoded = secret.getData() == null ? null : secret.getData().get(KUBECONFIG_KEY);
        if (blank(encoded)) {
            throw new IllegalArgumentException(where + " has no data." + KUBECONFIG_KEY);
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(encoded.strip());
        } catch (IllegalArgumentException e) {
            // The JDK's message may quote the data: leave it out.
            throw new IllegalArgumentException(where + " data." + KUBECONFIG_KEY + " is not valid base64");
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(decoded))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(where + " data." + KUBECONFIG_KEY + " is not UTF-8 text");
        }
    }

    private static String stringAt(GenericKubernetesResource resource, Object... path) {
        return at(resource, path) instanceof String s ? s : null;
    }

    private static Object at(GenericKubernetesResource resource, Object... path) {
        try {
            return resource.get(path);
        } catch (RuntimeException e) {
            // A path through a non-map value: the field is absent in the shape we understand.
            return null;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
