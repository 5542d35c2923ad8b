package io.meridian.fleetsim;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A Cluster API management cluster: a {@code cluster.x-k8s.io/v1beta1} {@code Cluster} and its
 * {@code <name>-kubeconfig} secret for every simulated cluster, in namespace {@code fleet}.
 */
public final class CapiManagementCluster implements AutoCloseable {

    public static final String NAME = "capi-mgmt";
    public static final String NAMESPACE = "fleet";

    private final ClusterStore store;
    private final ApiServer api;
    private KubernetesClient client;

    private CapiManagementCluster(ClusterStore store, ApiServer api) {
        this.store = store;
        this.api = api;
    }

    static CapiManagementCluster start(List<SimulatedCluster> clusters) {
        ClusterDispatcher dispatcher = new ClusterDispatcher();
        ClusterStore store = new ClusterStore(dispatcher);
        store.create(new NamespaceBuilder()
                .withNewMetadata()
                .withName(NAMESPACE)
                .endMetadata()
                .build());
        store.create(clusterCrd());
        CapiManagementCluster capi =
                new CapiManagementCluster(store, ApiServer.start(dispatcher, ApiServer.version(Cloud.ONPREM), 0));
        clusters.forEach(capi::register);
        return capi;
    }

    /** Adds the Cluster object and kubeconfig secret of one simulated cluster. */
    synchronized void register(SimulatedCluster cluster) {
        Cloud cloud = cluster.cloud();
        Map<String, String> labels = new LinkedHashMap<>(cluster.labels());
        labels.put("environment", cluster.environment());
        labels.put("topology.kubernetes.io/region", cluster.region());
        String uid = UUID.nameUUIDFromBytes(cluster.name().getBytes(StandardCharsets.UTF_8))
                .toString();

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("clusterNetwork", Map.of("pods", Map.of("cidrBlocks", List.of("192.168.0.0/16"))));
        spec.put("controlPlaneEndpoint", Map.of("host", ApiServer.HOST, "port", cluster.port()));
        spec.put(
                "infrastructureRef",
                Map.of(
                        "apiVersion", infrastructureApiVersion(cloud),
                        "kind", cloud.capiInfrastructureKind(),
                        "name", cluster.name(),
                        "namespace", NAMESPACE));
        spec.put(
                "controlPlaneRef",
                Map.of(
                        "apiVersion",
                        "controlplane.cluster.x-k8s.io/v1beta2",
                        "kind",
                        controlPlaneKind(cloud),
                        "name",
                        cluster.name() + "-control-plane",
                        "namespace",
                        NAMESPACE));
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("phase", "Provisioned");
        status.put("infrastructureReady", true);
        status.put("controlPlaneReady", true);

        GenericKubernetesResource capiCluster = new GenericKubernetesResourceBuilder()
                .withApiVersion(ResourceKind.CAPI_CLUSTER.apiVersion())
                .withKind("Cluster")
                .withNewMetadata()
                .withName(cluster.name())
                .withNamespace(NAMESPACE)
                .withUid(uid)
                .withLabels(labels)
                .endMetadata()
                .addToAdditionalProperties("spec", spec)
                .addToAdditionalProperties("status", status)
                .build();
        store.create(capiCluster);

        Secret secret = new SecretBuilder()
                .withNewMetadata()
                .withName(cluster.name() + "-kubeconfig")
                .withNamespace(NAMESPACE)
                .addToLabels("cluster.x-k8s.io/cluster-name", cluster.name())
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion(ResourceKind.CAPI_CLUSTER.apiVersion())
                        .withKind("Cluster")
                        .withName(cluster.name())
                        .withUid(uid)
                        .withController(true)
                        .build())
                .endMetadata()
                .withType("cluster.x-k8s.io/secret")
                .addToData(
                        "value",
                        Base64.getEncoder().encodeToString(cluster.kubeconfig().getBytes(StandardCharsets.UTF_8)))
                .build();
        store.create(secret);
    }

    private static String infrastructureApiVersion(Cloud cloud) {
        return switch (cloud) {
            case AWS -> "infrastructure.cluster.x-k8s.io/v1beta2";
            case AZURE, GCP, ONPREM -> "infrastructure.cluster.x-k8s.io/v1beta1";
        };
    }

    private static String controlPlaneKind(Cloud cloud) {
        return switch (cloud) {
            case AWS -> "AWSManagedControlPlane";
            case AZURE -> "AzureManagedControlPlane";
            case GCP -> "GCPManagedControlPlane";
            case ONPREM -> "KubeadmControlPlane";
        };
    }

    /** The CRD, so that clients can discover the {@code clusters} resource as on a real management cluster. */
    private static io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition clusterCrd() {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata()
                .withName("clusters.cluster.x-k8s.io")
                .endMetadata()
                .withNewSpec()
                .withGroup("cluster.x-k8s.io")
                .withScope("Namespaced")
                .withNewNames()
                .withKind("Cluster")
                .withListKind("ClusterList")
                .withPlural("clusters")
                .withSingular("cluster")
                .withShortNames("cl")
                .endNames()
                .addNewVersion()
                .withName("v1beta1")
                .withServed(true)
                .withStorage(true)
                .withNewSchema()
                .withNewOpenAPIV3Schema()
                .withType("object")
                .withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema()
                .endSchema()
                .endVersion()
                .endSpec()
                .build();
    }

    public String name() {
        return NAME;
    }

    public String apiServerUrl() {
        return api.url();
    }

    public String kubeconfig() {
        return Kubeconfigs.of(NAME, apiServerUrl());
    }

    public int objectCount() {
        return store.count();
    }

    public synchronized KubernetesClient client() {
        if (client == null) {
            client = new KubernetesClientBuilder()
                    .withConfig(new ConfigBuilder()
                            .withMasterUrl(apiServerUrl())
                            .withTrustCerts(true)
                            .withRequestRetryBackoffLimit(0)
                            .build())
                    .build();
        }
        return client;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
        api.stop();
    }
}
