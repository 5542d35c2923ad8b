package io.meridian.inventory.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.meridian.contracts.cluster.Cloud;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterFactsTest {

    @Test
    void eksNodes() {
        List<Node> nodes = List.of(
                eks("ip-10-0-1-10.ec2.internal", "us-east-1a", "ON_DEMAND", true),
                eks("ip-10-0-2-11.ec2.internal", "us-east-1b", "ON_DEMAND", true),
                eks("ip-10-0-3-12.ec2.internal", "us-east-1c", "SPOT", false));

        ClusterFacts facts = ClusterFacts.of(nodes, "v1.31.2-eks-94953ac");

        assertThat(facts.kubernetesVersion()).isEqualTo("v1.31.2-eks-94953ac");
        assertThat(facts.nodeCount()).isEqualTo(3);
        assertThat(facts.readyNodeCount()).isEqualTo(2);
        assertThat(facts.allocatableCpuMillis()).isEqualTo(3 * 3920L);
        assertThat(facts.allocatableMemoryBytes()).isEqualTo(3 * 14880156L * 1024);
        assertThat(facts.detectedCloud()).isEqualTo(Cloud.AWS);
        assertThat(facts.detectedRegion()).isEqualTo("us-east-1");
        assertThat(facts.spotNodeCount()).isEqualTo(1);
        assertThat(facts.warnings(Cloud.AWS, "us-east-1")).isEmpty();
    }

    @Test
    void aksNodes() {
        List<Node> nodes = List.of(
                aks("aks-system-12345678-vmss000000", "westeurope", "Regular"),
                aks("aks-spot-12345678-vmss000000", "westeurope", "Spot"));

        ClusterFacts facts = ClusterFacts.of(nodes, "v1.30.6");

        assertThat(facts.detectedCloud()).isEqualTo(Cloud.AZURE);
        assertThat(facts.detectedRegion()).isEqualTo("westeurope");
        assertThat(facts.spotNodeCount()).isEqualTo(1);
        // Standard_D4s_v5: 4 vCPU, 16 GiB; AKS reserves 180m and about 3.3 GiB.
        assertThat(facts.allocatableCpuMillis()).isEqualTo(2 * 3860L);
        assertThat(facts.allocatableMemoryBytes()).isEqualTo(2 * 12880096L * 1024);
        assertThat(facts.warnings(Cloud.AZURE, "westeurope")).isEmpty();
    }

    @Test
    void gkeNodes() {
        List<Node> nodes = List.of(
                gke("gke-prod-pool-1-5f2d8c3a-q7vx", "europe-west1", Map.of()),
                gke("gke-prod-spot-9a1b2c3d-x1y2", "europe-west1", Map.of("cloud.google.com/gke-spot", "true")),
                gke(
                        "gke-prod-batch-7e6f5d4c-a1b2",
                        "europe-west1",
                        Map.of("cloud.google.com/gke-preemptible", "true")));

        ClusterFacts facts = ClusterFacts.of(nodes, "v1.31.5-gke.1023000");

        assertThat(facts.detectedCloud()).isEqualTo(Cloud.GCP);
        assertThat(facts.detectedRegion()).isEqualTo("europe-west1");
        assertThat(facts.spotNodeCount()).isEqualTo(2);
        assertThat(facts.allocatableCpuMillis()).isEqualTo(3 * 3920L);
        assertThat(facts.readyNodeCount()).isEqualTo(3);
    }

    @Test
    void bareMetalNodesAreOnPremises() {
        List<Node> nodes = List.of(
                node("edge3-node-a", null, Map.of("kubernetes.io/hostname", "edge3-node-a"), "16", "64Gi", true),
                node("edge3-node-b", null, Map.of("kubernetes.io/hostname", "edge3-node-b"), "16", "64Gi", false));

        ClusterFacts facts = ClusterFacts.of(nodes, "v1.31.4+k3s1");

        assertThat(facts.detectedCloud()).isEqualTo(Cloud.ONPREM);
        assertThat(facts.detectedRegion()).isNull();
        assertThat(facts.nodesByRegion()).isEmpty();
        assertThat(facts.allocatableCpuMillis()).isEqualTo(32_000L);
        assertThat(facts.allocatableMemoryBytes()).isEqualTo(128L << 30);
        assertThat(facts.readyNodeCount()).isEqualTo(1);
        assertThat(facts.warnings(Cloud.ONPREM, "dc-frankfurt")).isEmpty();
        // Nothing recognised does not contradict a registration as "other".
        assertThat(facts.warnings(Cloud.OTHER, null)).isEmpty();
    }

    @Test
    void awsIsRecognisedByInstanceTypeAndRegionWithoutProviderId() {
        // A self-managed cluster on EC2 (kubeadm, no cloud provider): only the well-known labels tell.
        Node node = node(
                "worker-1",
                null,
                Map.of(
                        "node.kubernetes.io/instance-type", "m6i.xlarge",
                        "topology.kubernetes.io/region", "us-east-1"),
                "4",
                "16Gi",
                true);
        assertThat(ClusterFacts.of(List.of(node), "v1.31.0").detectedCloud()).isEqualTo(Cloud.AWS);

        Node onPremWithRegion = node(
                "worker-1",
                null,
                Map.of("node.kubernetes.io/instance-type", "r640", "topology.kubernetes.io/region", "dc-1"),
                "4",
                "16Gi",
                true);
        assertThat(ClusterFacts.of(List.of(onPremWithRegion), "v1.31.0").detectedCloud())
                .isEqualTo(Cloud.ONPREM);
    }

    @Test
    void cloudLabelsWithoutProviderIdAreEnough() {
        Node aks = node("n", null, Map.of("kubernetes.azure.com/cluster", "MC_rg_prod_westeurope"), "4", "16Gi", true);
        Node gke = node("n", null, Map.of("cloud.google.com/gke-nodepool", "pool-1"), "4", "16Gi", true);
        Node eks = node("n", null, Map.of("eks.amazonaws.com/nodegroup", "general"), "4", "16Gi", true);
        assertThat(ClusterFacts.of(List.of(aks), null).detectedCloud()).isEqualTo(Cloud.AZURE);
        assertThat(ClusterFacts.of(List.of(gke), null).detectedCloud()).isEqualTo(Cloud.GCP);
        assertThat(ClusterFacts.of(List.of(eks), null).detectedCloud()).isEqualTo(Cloud.AWS);
    }

    @Test
    void anUnknownProviderIsOther() {
        Node node = node("n", "digitalocean://412345678", Map.of(), "4", "8Gi", true);
        assertThat(ClusterFacts.of(List.of(node), "v1.31.1").detectedCloud()).isEqualTo(Cloud.OTHER);
        Node vsphere = node("n", "vsphere://4201b3c5-aaaa-bbbb-cccc-0123456789ab", Map.of(), "4", "8Gi", true);
        assertThat(ClusterFacts.of(List.of(vsphere), "v1.31.1").detectedCloud()).isEqualTo(Cloud.ONPREM);
    }

    @Test
    void theRegionIsTheMajorityAndTheLegacyLabelIsAFallback() {
        Node legacyOnly = node(
                "ip-10-0-9-9.ec2.internal",
                "aws:///us-west-2a/i-0fedcba9876543210",
                Map.of("failure-domain.beta.kubernetes.io/region", "us-west-2"),
                "2",
                "4Gi",
                true);
        List<Node> nodes = List.of(
                eks("ip-10-0-1-10.ec2.internal", "us-east-1a", "ON_DEMAND", true),
                eks("ip-10-0-2-11.ec2.internal", "us-east-1b", "ON_DEMAND", true),
                legacyOnly);

        ClusterFacts facts = ClusterFacts.of(nodes, "v1.31.2");

        assertThat(facts.detectedRegion()).isEqualTo("us-east-1");
        assertThat(facts.nodesByRegion()).containsExactly(Map.entry("us-east-1", 2), Map.entry("us-west-2", 1));
        assertThat(facts.warnings(Cloud.AWS, "us-east-1"))
                .containsExactly("1 of 3 nodes report a region other than the registered us-east-1: us-west-2 (1)");
    }

    @Test
    void noNodesTellNothing() {
        ClusterFacts facts = ClusterFacts.of(List.of(), "v1.31.2");

        assertThat(facts.nodeCount()).isZero();
        assertThat(facts.readyNodeCount()).isZero();
        assertThat(facts.allocatableCpuMillis()).isZero();
        assertThat(facts.allocatableMemoryBytes()).isZero();
        assertThat(facts.detectedCloud()).isNull();
        assertThat(facts.detectedRegion()).isNull();
        assertThat(facts.warnings(Cloud.AWS, "us-east-1")).isEmpty();
    }

    @Test
    void warnsWhenNodesContradictTheRegistration() {
        ClusterFacts gke = ClusterFacts.of(
                List.of(gke("gke-prod-pool-1-5f2d8c3a-q7vx", "europe-west1", Map.of())), "v1.31.5-gke.1023000");

        assertThat(gke.warnings(Cloud.AWS, "us-east-1"))
                .containsExactly("registered as aws/us-east-1 but nodes report gcp/europe-west1");
        assertThat(gke.warnings(Cloud.GCP, "europe-west4"))
                .containsExactly("registered as gcp/europe-west4 but nodes report gcp/europe-west1");
        assertThat(gke.warnings(Cloud.AZURE, null))
                .containsExactly("registered as azure but nodes report gcp/europe-west1");
        assertThat(gke.warnings(Cloud.GCP, "EUROPE-WEST1")).isEmpty();
        assertThat(gke.warnings(null, null)).isEmpty();
    }

    @Test
    void onPremisesNodesContradictACloudRegistration() {
        ClusterFacts onPrem =
                ClusterFacts.of(List.of(node("edge3-node-a", null, Map.of(), "16", "64Gi", true)), "v1.31.4+k3s1");
        assertThat(onPrem.warnings(Cloud.AZURE, "westeurope"))
                .containsExactly("registered as azure/westeurope but nodes report onprem");
    }

    private static Node eks(String name, String zone, String capacityType, boolean ready) {
        String region = zone.substring(0, zone.length() - 1);
        Map<String, String> labels = new HashMap<>();
        labels.put("kubernetes.io/hostname", name);
        labels.put("node.kubernetes.io/instance-type", "m6i.xlarge");
        labels.put("topology.kubernetes.io/region", region);
        labels.put("topology.kubernetes.io/zone", zone);
        labels.put("eks.amazonaws.com/nodegroup", "general-a");
        labels.put("eks.amazonaws.com/capacityType", capacityType);
        return node(name, "aws:///" + zone + "/i-0a1b2c3d4e5f67890", labels, "3920m", "14880156Ki", ready);
    }

    private static Node aks(String name, String region, String priority) {
        Map<String, String> labels = new HashMap<>();
        labels.put("kubernetes.io/hostname", name);
        labels.put("node.kubernetes.io/instance-type", "Standard_D4s_v5");
        labels.put("topology.kubernetes.io/region", region);
        labels.put("topology.kubernetes.io/zone", region + "-1");
        labels.put("kubernetes.azure.com/agentpool", priority.equals("Spot") ? "spot" : "system");
        labels.put("kubernetes.azure.com/os-sku", "Ubuntu");
        if (priority.equals("Spot")) {
            labels.put("kubernetes.azure.com/scalesetpriority", "spot");
        }
        String providerId = "azure:///subscriptions/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d/resourceGroups/mc_prod_aks_"
                + region + "/providers/Microsoft.Compute/virtualMachineScaleSets/" + name.replace("000000", "")
                + "/virtualMachines/0";
        return node(name, providerId, labels, "3860m", "12880096Ki", true);
    }

    private static Node gke(String name, String region, Map<String, String> extraLabels) {
        Map<String, String> labels = new HashMap<>(extraLabels);
        labels.put("kubernetes.io/hostname", name);
        labels.put("node.kubernetes.io/instance-type", "n2-standard-4");
        labels.put("topology.kubernetes.io/region", region);
        labels.put("topology.kubernetes.io/zone", region + "-b");
        labels.put("cloud.google.com/gke-nodepool", "pool-1");
        labels.put("cloud.google.com/machine-family", "n2");
        return node(name, "gce://acme-prod/" + region + "-b/" + name, labels, "3920m", "13594860Ki", true);
    }

    private static Node node(
            String name, String providerId, Map<String, String> labels, String cpu, String memory, boolean ready) {
        return new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withProviderID(providerId)
                .endSpec()
                .withNewStatus()
                .withAllocatable(
                        Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory), "pods", new Quantity("110")))
                .addNewCondition()
                .withType("MemoryPressure")
                .withStatus("False")
                .endCondition()
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready ? "True" : "Unknown")
                .endCondition()
                .endStatus()
                .build();
    }
}
