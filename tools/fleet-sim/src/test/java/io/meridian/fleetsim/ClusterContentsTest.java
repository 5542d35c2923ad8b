package io.meridian.fleetsim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterContentsTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    private static ClusterProfile first(Cloud cloud) {
        return FleetLayout.plan(12, 42).stream()
                .filter(p -> p.cloud() == cloud)
                .findFirst()
                .orElseThrow();
    }

    private static <T extends HasMetadata> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void theSameProfileGivesTheSameObjectsDownToUids() {
        ClusterProfile profile = first(Cloud.AZURE);
        String once = Serialization.asJson(ClusterContents.generate(profile, 150, NOW));
        String again = Serialization.asJson(ClusterContents.generate(profile, 150, NOW));
        assertThat(again).isEqualTo(once);
        assertThat(Serialization.asJson(ClusterContents.generate(first(Cloud.GCP), 150, NOW)))
                .isNotEqualTo(once);
    }

    @Test
    void objectCountsFollowTheTarget() {
        for (int target : List.of(150, 400, 1000)) {
            List<HasMetadata> objects = ClusterContents.generate(first(Cloud.AWS), target, NOW);
            assertThat(objects.size()).as("target " + target).isBetween(target, target + 3);
        }
        assertThat(ClusterContents.generate(first(Cloud.AWS), 1000, NOW).stream()
                        .filter(Pod.class::isInstance)
                        .count())
                .isGreaterThan(500);
    }

    @Test
    void awsNodesLookLikeEks() {
        List<Node> nodes = ofType(ClusterContents.generate(first(Cloud.AWS), 300, NOW), Node.class);
        assertThat(nodes).hasSizeGreaterThanOrEqualTo(3);
        for (Node node : nodes) {
            Map<String, String> labels = node.getMetadata().getLabels();
            assertThat(node.getSpec().getProviderID()).matches("aws:///us-east-1[abc]/i-0[0-9a-f]{16}");
            assertThat(labels.get("node.kubernetes.io/instance-type")).isIn("m6i.xlarge", "c6i.2xlarge", "r6i.xlarge");
            assertThat(labels).containsEntry("topology.kubernetes.io/region", "us-east-1");
            assertThat(labels.get("topology.kubernetes.io/zone")).startsWith("us-east-1");
            assertThat(node.getMetadata().getName()).matches("ip-10-\\d+-\\d+-\\d+\\.ec2\\.internal");
            assertThat(node.getStatus().getAllocatable()).containsKeys("cpu", "memory", "pods");
            assertThat(node.getStatus().getConditions())
                    .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
        }
        assertThat(nodes)
                .anyMatch(n -> "SPOT".equals(n.getMetadata().getLabels().get("eks.amazonaws.com/capacityType"))
                        && "spot".equals(n.getMetadata().getLabels().get("karpenter.sh/capacity-type")));
    }

    @Test
    void azureGcpAndOnPremNodesCarryTheirOwnProviderIdsAndLabels() {
        List<Node> azure = ofType(ClusterContents.generate(first(Cloud.AZURE), 300, NOW), Node.class);
        assertThat(azure)
                .allMatch(n -> n.getSpec()
                        .getProviderID()
                        .matches("azure:///subscriptions/[0-9a-f-]{36}/resourceGroups/.+/virtualMachineScaleSets/aks-.+"
                                + "-vmss/virtualMachines/\\d+"));
        assertThat(azure)
                .allMatch(n -> Set.of("Standard_D4s_v5", "Standard_E4s_v5")
                        .contains(n.getMetadata().getLabels().get("node.kubernetes.io/instance-type")));
        assertThat(azure)
                .anyMatch(n -> "spot".equals(n.getMetadata().getLabels().get("kubernetes.azure.com/scalesetpriority")));

        List<Node> gcp = ofType(ClusterContents.generate(first(Cloud.GCP), 300, NOW), Node.class);
        assertThat(gcp)
                .allMatch(n -> n.getSpec()
                        .getProviderID()
                        .equals("gce://" + n.getSpec().getProviderID().split("/")[2] + "/"
                                + n.getMetadata().getLabels().get("topology.kubernetes.io/zone") + "/"
                                + n.getMetadata().getName()));
        assertThat(gcp)
                .allMatch(n -> n.getMetadata()
                        .getLabels()
                        .get("topology.kubernetes.io/zone")
                        .startsWith("europe-west1-"));
        assertThat(gcp).anyMatch(n -> "true".equals(n.getMetadata().getLabels().get("cloud.google.com/gke-spot")));

        List<Node> onprem = ofType(ClusterContents.generate(first(Cloud.ONPREM), 300, NOW), Node.class);
        assertThat(onprem)
                .allMatch(n -> n.getSpec().getProviderID() == null
                        || n.getSpec().getProviderID().startsWith("metal3://"));
        assertThat(onprem)
                .allMatch(n -> n.getMetadata()
                        .getLabels()
                        .get("node.kubernetes.io/instance-type")
                        .startsWith("baremetal"));
        assertThat(onprem)
                .noneMatch(n -> n.getMetadata().getLabels().keySet().stream().anyMatch(k -> k.contains("spot")));
    }

    @Test
    void storageClassesAndVolumesArePerCloud() {
        Map<Cloud, String> expected = Map.of(
                Cloud.AWS, "gp3", Cloud.AZURE, "managed-csi", Cloud.GCP, "pd-balanced", Cloud.ONPREM, "ceph-rbd");
        expected.forEach((cloud, className) -> {
            List<HasMetadata> objects = ClusterContents.generate(first(cloud), 150, NOW);
            assertThat(ofType(objects, StorageClass.class))
                    .extracting(sc -> sc.getMetadata().getName())
                    .contains(className);
            assertThat(objects)
                    .filteredOn(o -> o.getKind().equals("PersistentVolumeClaim"))
                    .isNotEmpty();
            assertThat(objects.stream()
                            .filter(o -> o.getKind().equals("PersistentVolume"))
                            .count())
                    .isEqualTo(objects.stream()
                            .filter(o -> o.getKind().equals("PersistentVolumeClaim"))
                            .count());
        });
    }

    @ParameterizedTest
    @CsvSource({"AWS,150", "AWS,200", "AZURE,300", "GCP,500", "ONPREM,1000"})
    void podsFitTheAllocatableOfTheWorkerNodeTheyRunOn(Cloud cloud, int target) {
        // A real scheduler never binds a pod past a node's allocatable; placement reads free capacity from these.
        List<HasMetadata> objects = ClusterContents.generate(first(cloud), target, NOW);
        Map<String, Node> nodes = ofType(objects, Node.class).stream()
                .collect(Collectors.toMap(n -> n.getMetadata().getName(), Function.identity()));
        Map<String, BigDecimal> cpu = new HashMap<>();
        Map<String, BigDecimal> memory = new HashMap<>();
        for (Pod pod : ofType(objects, Pod.class)) {
            if ("DaemonSet"
                    .equals(pod.getMetadata().getOwnerReferences().getFirst().getKind())) {
                continue;
            }
            for (Container c : pod.getSpec().getContainers()) {
                cpu.merge(pod.getSpec().getNodeName(), amount(c, "cpu"), BigDecimal::add);
                memory.merge(pod.getSpec().getNodeName(), amount(c, "memory"), BigDecimal::add);
            }
        }
        assertThat(cpu).isNotEmpty();
        cpu.forEach((node, requested) -> {
            Map<String, Quantity> allocatable = nodes.get(node).getStatus().getAllocatable();
            assertThat(requested)
                    .as("CPU requested on " + node)
                    .isLessThanOrEqualTo(Quantity.getAmountInBytes(allocatable.get("cpu")));
            assertThat(memory.get(node))
                    .as("memory requested on " + node)
                    .isLessThanOrEqualTo(Quantity.getAmountInBytes(allocatable.get("memory")));
        });
    }

    private static BigDecimal amount(Container c, String resource) {
        return Quantity.getAmountInBytes(c.getResources().getRequests().get(resource));
    }

    @Test
    void podsBelongToReplicaSetsOfDeploymentsAndRunOnNodes() {
        List<HasMetadata> objects = ClusterContents.generate(first(Cloud.AWS), 150, NOW);
        Map<String, Deployment> deployments = ofType(objects, Deployment.class).stream()
                .collect(Collectors.toMap(d -> d.getMetadata().getUid(), Function.identity()));
        Map<String, ReplicaSet> replicaSets = ofType(objects, ReplicaSet.class).stream()
                .collect(Collectors.toMap(r -> r.getMetadata().getUid(), Function.identity()));
        Set<String> nodes = ofType(objects, Node.class).stream()
                .map(n -> n.getMetadata().getName())
                .collect(Collectors.toSet());

        replicaSets
                .values()
                .forEach(rs -> assertThat(deployments)
                        .containsKey(
                                rs.getMetadata().getOwnerReferences().getFirst().getUid()));
        List<Pod> pods = ofType(objects, Pod.class);
        for (Pod pod : pods) {
            assertThat(nodes).contains(pod.getSpec().getNodeName());
            for (Container c : pod.getSpec().getContainers()) {
                assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
            }
            var owner = pod.getMetadata().getOwnerReferences().getFirst();
            if (owner.getKind().equals("ReplicaSet")) {
                ReplicaSet rs = replicaSets.get(owner.getUid());
                assertThat(rs).as("owner of " + pod.getMetadata().getName()).isNotNull();
                assertThat(pod.getMetadata().getLabels())
                        .containsEntry(
                                "pod-template-hash",
                                rs.getMetadata().getLabels().get("pod-template-hash"));
                assertThat(pod.getMetadata().getName())
                        .startsWith(rs.getMetadata().getName() + "-");
            }
        }
        assertThat(pods)
                .flatExtracting(p -> p.getSpec().getContainers())
                .extracting(Container::getImage)
                .anyMatch(i -> i.endsWith(":latest"))
                .anyMatch(i -> i.startsWith("123456789012.dkr.ecr.us-east-1.amazonaws.com/"));
    }

    @Test
    void riskyUnmanagedRbacAndCloudLoadBalancersArePresent() {
        List<HasMetadata> objects = ClusterContents.generate(first(Cloud.AWS), 150, NOW);
        assertThat(ofType(objects, ClusterRoleBinding.class))
                .anyMatch(b -> b.getRoleRef().getName().equals("cluster-admin")
                        && b.getSubjects().stream().anyMatch(s -> s.getKind().equals("User")));
        assertThat(ofType(objects, ClusterRole.class))
                .anyMatch(r -> (r.getMetadata().getLabels() == null
                                || r.getMetadata().getLabels().isEmpty())
                        && r.getRules().stream()
                                .anyMatch(rule -> rule.getVerbs().contains("*")
                                        && rule.getResources().contains("*")));
        assertThat(ofType(objects, Service.class))
                .filteredOn(s -> "LoadBalancer".equals(s.getSpec().getType()))
                .isNotEmpty()
                .allMatch(s -> s.getMetadata()
                        .getAnnotations()
                        .containsKey("service.beta.kubernetes.io/aws-load-balancer-scheme"));
    }
}
