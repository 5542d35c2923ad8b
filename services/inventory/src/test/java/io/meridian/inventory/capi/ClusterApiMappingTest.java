package io.meridian.inventory.capi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.meridian.contracts.cluster.Cloud;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterApiMappingTest {

    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private static final String KUBECONFIG = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: prod-eks
              cluster: {server: "https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com"}
            contexts:
            - name: prod-eks-admin@prod-eks
              context: {cluster: prod-eks, user: prod-eks-admin}
            current-context: prod-eks-admin@prod-eks
            users:
            - name: prod-eks-admin
              user: {token: k8s-aws-v1.aHR0cHM6Ly9zdHMuZXUtd2VzdC0xLmFtYXpvbmF3cy5jb20v}
            """;

    // CAPA-managed EKS, created from a ClusterClass: the region comes from its label.
    private static final String EKS = """
            apiVersion: cluster.x-k8s.io/v1beta1
            kind: Cluster
            metadata:
              name: prod-eks
              namespace: fleet-aws
              labels:
                env: prod
                team: payments
                topology.kubernetes.io/region: eu-west-1
                cluster.x-k8s.io/cluster-name: prod-eks
                topology.cluster.x-k8s.io/owned: ""
                meridian.io/source: spoofed
            spec:
              clusterNetwork:
                pods: {cidrBlocks: [192.168.0.0/16]}
              infrastructureRef:
                apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
                kind: AWSManagedCluster
                name: prod-eks
              controlPlaneRef:
                apiVersion: controlplane.cluster.x-k8s.io/v1beta2
                kind: AWSManagedControlPlane
                name: prod-eks-control-plane
            status:
              phase: Provisioned
              infrastructureReady: true
              controlPlaneReady: true
            """;

    private static final String KUBECONFIG_SECRET = """
            apiVersion: v1
            kind: Secret
            metadata:
              name: prod-eks-kubeconfig
              namespace: fleet-aws
              labels:
                cluster.x-k8s.io/cluster-name: prod-eks
              ownerReferences:
              - apiVersion: controlplane.cluster.x-k8s.io/v1beta2
                kind: AWSManagedControlPlane
                name: prod-eks-control-plane
                uid: 5c1b3f0e-8a44-4a5f-9a53-1a2d5e7b9c01
                controller: true
            type: cluster.x-k8s.io/secret
            data:
              value: %s
            """;

    // CAPZ self-managed VMs with a kubeadm control plane, from a ClusterClass with a "location" variable.
    private static final String AZURE = """
            apiVersion: cluster.x-k8s.io/v1beta1
            kind: Cluster
            metadata:
              name: edge-weu
              namespace: fleet-azure
              labels: {env: staging}
            spec:
              topology:
                class: azure-kubeadm
                version: v1.31.4
                variables:
                - name: sshPublicKey
                  value: ""
                - name: location
                  value: westeurope
              infrastructureRef:
                apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
                kind: AzureCluster
                name: edge-weu-x7k2p
              controlPlaneRef:
                apiVersion: controlplane.cluster.x-k8s.io/v1beta1
                kind: KubeadmControlPlane
                name: edge-weu-x7k2p
            status:
              phase: Provisioning
            """;

    // CAPG GKE, v1beta2 references (apiGroup instead of apiVersion), region as a topology variable.
    private static final String GKE = """
            apiVersion: cluster.x-k8s.io/v1beta2
            kind: Cluster
            metadata:
              name: analytics
              namespace: fleet-gcp
            spec:
              topology:
                classRef: {name: gke}
                version: v1.32.2
                variables:
                - name: region
                  value: europe-west4
              infrastructureRef:
                apiGroup: infrastructure.cluster.x-k8s.io
                kind: GCPManagedCluster
                name: analytics
              controlPlaneRef:
                apiGroup: infrastructure.cluster.x-k8s.io
                kind: GCPManagedControlPlane
                name: analytics-control-plane
            """;

    // Bare metal: Metal3 is not a cloud Meridian recognises.
    private static final String METAL3 = """
            apiVersion: cluster.x-k8s.io/v1beta1
            kind: Cluster
            metadata:
              name: rack-12
              namespace: datacenter-fra
            spec:
              infrastructureRef:
                apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
                kind: Metal3Cluster
                name: rack-12
              controlPlaneRef:
                apiVersion: controlplane.cluster.x-k8s.io/v1beta1
                kind: KubeadmControlPlane
                name: rack-12
            status:
              phase: Failed
            """;

    @Test
    void mapsAnEksClusterWithItsKubeconfig() {
        ImportedCluster imported = ClusterApiMapping.map(cluster(EKS), secret(KUBECONFIG_SECRET, b64(KUBECONFIG)));

        assertThat(imported.name()).isEqualTo("prod-eks");
        assertThat(imported.namespace()).isEqualTo("fleet-aws");
        assertThat(imported.cloud()).isEqualTo(Cloud.AWS);
        assertThat(imported.region()).isEqualTo("eu-west-1");
        assertThat(imported.phase()).isEqualTo("Provisioned");
        assertThat(imported.kubeconfig()).isEqualTo(KUBECONFIG);
        assertThat(imported.labels())
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
                        "env", "prod",
                        "team", "payments",
                        "topology.kubernetes.io/region", "eu-west-1",
                        "meridian.io/source", "capi",
                        "meridian.io/capi-namespace", "fleet-aws"));
    }

    @Test
    void mapsAnAzureClusterWithRegionFromTheTopologyLocation() {
        ImportedCluster imported = ClusterApiMapping.map(cluster(AZURE), null);

        assertThat(imported.cloud()).isEqualTo(Cloud.AZURE);
        assertThat(imported.region()).isEqualTo("westeurope");
        assertThat(imported.phase()).isEqualTo("Provisioning");
        assertThat(imported.labels())
                .containsEntry("env", "staging")
                .containsEntry("meridian.io/source", "capi")
                .containsEntry("meridian.io/capi-namespace", "fleet-azure");
    }

    @Test
    void mapsAGkeClusterInTheV1beta2Shape() {
        ImportedCluster imported = ClusterApiMapping.map(cluster(GKE), null);

        assertThat(imported.cloud()).isEqualTo(Cloud.GCP);
        assertThat(imported.region()).isEqualTo("europe-west4");
        assertThat(imported.phase()).isNull();
        assertThat(imported.labels()).containsOnlyKeys("meridian.io/source", "meridian.io/capi-namespace");
    }

    @Test
    void anUnrecognisedProviderIsOtherWithUnknownRegion() {
        ImportedCluster imported = ClusterApiMapping.map(cluster(METAL3), null);

        assertThat(imported.cloud()).isEqualTo(Cloud.OTHER);
        assertThat(imported.region()).isNull();
        assertThat(imported.phase()).isEqualTo("Failed");
    }

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @CsvSource({
        "AWSCluster, KubeadmControlPlane, AWS",
        "AWSManagedControlPlane, AWSManagedControlPlane, AWS",
        "ROSACluster, ROSAControlPlane, AWS",
        "AzureManagedCluster, AzureManagedControlPlane, AZURE",
        "AzureASOManagedCluster, AzureASOManagedControlPlane, AZURE",
        "GCPCluster, KubeadmControlPlane, GCP",
        "VSphereCluster, KubeadmControlPlane, OTHER",
        "DockerCluster, KubeadmControlPlane, OTHER",
        "'', AWSManagedControlPlane, AWS",
        "SomeFutureCluster, GCPManagedControlPlane, GCP",
    })
    void cloudFollowsTheInfrastructureKindThenTheControlPlaneKind(String infra, String controlPlane, Cloud cloud) {
        String yaml = METAL3.replace("kind: Metal3Cluster", "kind: \"" + infra + "\"")
                .replace("kind: KubeadmControlPlane", "kind: " + controlPlane);

        assertThat(ClusterApiMapping.cloudOf(cluster(yaml))).isEqualTo(cloud);
    }

    @Test
    void aClusterWithoutReferencesIsOther() {
        var bare = cluster("""
                apiVersion: cluster.x-k8s.io/v1beta1
                kind: Cluster
                metadata: {name: bare, namespace: default}
                spec: {paused: true}
                """);

        assertThat(ClusterApiMapping.map(bare, null).cloud()).isEqualTo(Cloud.OTHER);
    }

    @Test
    void aMissingSecretLeavesTheKubeconfigEmpty() {
        ImportedCluster imported = ClusterApiMapping.map(cluster(EKS), null);

        assertThat(imported.kubeconfig()).isNull();
        assertThat(imported.hasKubeconfig()).isFalse();
        assertThat(imported.cloud()).isEqualTo(Cloud.AWS);
    }

    @Test
    void aSecretThatIsNotBase64IsRejectedWithoutQuotingIt() {
        Secret secret = secret(KUBECONFIG_SECRET, "c2VjcmV0LXRva2Vu");
        secret.getData().put("value", "not*base64!c2VjcmV0");

        assertThatThrownBy(() -> ClusterApiMapping.map(cluster(EKS), secret))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("secret fleet-aws/prod-eks-kubeconfig data.value is not valid base64")
                .hasNoCause();
    }

    @Test
    void aSecretThatIsNotUtf8TextIsRejected() {
        String binary = Base64.getEncoder().encodeToString(new byte[] {(byte) 0xc3, (byte) 0x28, 0x00});

        assertThatThrownBy(() -> ClusterApiMapping.map(cluster(EKS), secret(KUBECONFIG_SECRET, binary)))
                .hasMessage("secret fleet-aws/prod-eks-kubeconfig data.value is not UTF-8 text");
    }

    @Test
    void aSecretWithoutValueIsRejected() {
        Secret secret = secret(KUBECONFIG_SECRET, "eA==");
        secret.getData().clear();

        assertThatThrownBy(() -> ClusterApiMapping.map(cluster(EKS), secret))
                .hasMessage("secret fleet-aws/prod-eks-kubeconfig has no data.value");
    }

    @Test
    void theSecretOfAnotherClusterIsRefused() {
        Secret other =
                secret(KUBECONFIG_SECRET.replace("name: prod-eks-kubeconfig", "name: dev-eks-kubeconfig"), "eA==");

        assertThatThrownBy(() -> ClusterApiMapping.map(cluster(EKS), other))
                .hasMessage("expected secret fleet-aws/prod-eks-kubeconfig, got fleet-aws/dev-eks-kubeconfig");
    }

    @Test
    void onlyCapiClustersAreMapped() {
        var machine = cluster(EKS.replace("kind: Cluster\n", "kind: Machine\n"));
        var v1alpha4 = cluster(EKS.replace("cluster.x-k8s.io/v1beta1", "cluster.x-k8s.io/v1alpha4"));

        assertThatThrownBy(() -> ClusterApiMapping.map(machine, null))
                .hasMessageContaining("got Machine of cluster.x-k8s.io/v1beta1");
        assertThatThrownBy(() -> ClusterApiMapping.map(v1alpha4, null))
                .hasMessageContaining("got Cluster of cluster.x-k8s.io/v1alpha4");
    }

    @Test
    void capiInternalLabelsAreRecognisedByDomain() {
        assertThat(ClusterApiMapping.isCapiInternal("cluster.x-k8s.io/cluster-name"))
                .isTrue();
        assertThat(ClusterApiMapping.isCapiInternal("topology.cluster.x-k8s.io/owned"))
                .isTrue();
        assertThat(ClusterApiMapping.isCapiInternal("example.com/cluster.x-k8s.io"))
                .isFalse();
        assertThat(ClusterApiMapping.isCapiInternal("notcluster.x-k8s.io/x")).isFalse();
        assertThat(ClusterApiMapping.isCapiInternal("env")).isFalse();
    }

    @Test
    void kubeconfigSecretNameFollowsTheCapiConvention() {
        assertThat(ClusterApiMapping.kubeconfigSecretName("prod-eks")).isEqualTo("prod-eks-kubeconfig");
    }

    @Test
    void toStringDoesNotShowTheKubeconfig() {
        ImportedCluster imported = ClusterApiMapping.map(cluster(EKS), secret(KUBECONFIG_SECRET, b64(KUBECONFIG)));

        assertThat(imported.toString()).doesNotContain("k8s-aws-v1").contains("kubeconfig=<redacted>", "name=prod-eks");
    }

    private static GenericKubernetesResource cluster(String yaml) {
        return YAML.unmarshal(yaml, GenericKubernetesResource.class);
    }

    private static Secret secret(String template, String base64Value) {
        return YAML.unmarshal(template.formatted(base64Value), Secret.class);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
