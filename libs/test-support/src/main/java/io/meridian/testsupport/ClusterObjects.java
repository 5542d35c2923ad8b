package io.meridian.testsupport;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.Map;

/** Realistic objects to seed mock clusters with in tests. */
public final class ClusterObjects {

    private ClusterObjects() {}

    /** A Ready AWS node with the labels and providerID EKS gives it. */
    public static Node awsNode(String name, String region, String zone, String instanceType) {
        return node(
                name,
                "aws:///" + zone + "/i-" + Integer.toHexString(name.hashCode()),
                Map.of(
                        "topology.kubernetes.io/region", region,
                        "topology.kubernetes.io/zone", zone,
                        "node.kubernetes.io/instance-type", instanceType,
                        "eks.amazonaws.com/capacityType", "ON_DEMAND"),
                "4",
                "16Gi",
                true);
    }

    /** A GKE node. */
    public static Node gcpNode(String name, String region, String zone, String machineType) {
        return node(
                name,
                "gce://meridian-demo/" + zone + "/" + name,
                Map.of(
                        "topology.kubernetes.io/region", region,
                        "topology.kubernetes.io/zone", zone,
                        "node.kubernetes.io/instance-type", machineType,
                        "cloud.google.com/gke-nodepool", "default-pool"),
                "4",
                "16Gi",
                true);
    }

    public static Node node(
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
                .addToAllocatable("cpu", new Quantity(cpu))
                .addToAllocatable("memory", new Quantity(memory))
                .addToCapacity("cpu", new Quantity(cpu))
                .addToCapacity("memory", new Quantity(memory))
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .withReason(ready ? "KubeletReady" : "KubeletNotReady")
                .endCondition()
                .withNewNodeInfo()
                .withKubeletVersion(MockCluster.KUBERNETES_VERSION)
                .endNodeInfo()
                .endStatus()
                .build();
    }

    public static Namespace namespace(String name, String team) {
        return new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("team", team)
                .endMetadata()
                .build();
    }

    /**
     * A Deployment with one container that requests resources, as its controller left it (its status observed the
     * current generation), so a simulated cluster's controller has nothing to do for it.
     */
    public static Deployment deployment(String namespace, String name, String image, int replicas) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .addToContainers(new ContainerBuilder()
                        .withName(name)
                        .withImage(image)
                        .withNewResources()
                        .addToRequests("cpu", new Quantity("250m"))
                        .addToRequests("memory", new Quantity("256Mi"))
                        .addToLimits("memory", new Quantity("512Mi"))
                        .endResources()
                        .build())
                .endSpec()
                .endTemplate()
                .endSpec()
                .withNewStatus()
                .withObservedGeneration(1L)
                .withReplicas(replicas)
                .withReadyReplicas(replicas)
                .endStatus()
                .build();
    }

    /** A running Pod of a Deployment's ReplicaSet, placed on a node. */
    public static Pod pod(String namespace, String deployment, String suffix, String image, String nodeName) {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(deployment + "-7c9f8d6b5d-" + suffix)
                .addToLabels("app", deployment)
                .addNewOwnerReference()
                .withApiVersion("apps/v1")
                .withKind("ReplicaSet")
                .withName(deployment + "-7c9f8d6b5d")
                .withUid("rs-" + deployment)
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .withNewSpec()
                .withNodeName(nodeName)
                .addToContainers(new ContainerBuilder()
                        .withName(deployment)
                        .withImage(image)
                        .withNewResources()
                        .addToRequests("cpu", new Quantity("250m"))
                        .addToRequests("memory", new Quantity("256Mi"))
                        .endResources()
                        .build())
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .endStatus()
                .build();
    }
}
