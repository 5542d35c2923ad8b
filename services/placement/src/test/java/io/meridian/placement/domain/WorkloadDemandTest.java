package io.meridian.placement.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a workload's manifests ask of a cluster, counted as the Kubernetes scheduler counts a pod. */
class WorkloadDemandTest {

    private static final long MI = 1L << 20;
    private static final long GI = 1L << 30;

    @Test
    void aDeploymentAsksForItsContainersTimesItsReplicas() {
        WorkloadDemand demand = demand(deployment(
                "web",
                3,
                Map.of(
                        "containers",
                        List.of(
                                container("app", Map.of("cpu", "250m", "memory", "512Mi"), Map.of()),
                                container("proxy", Map.of("cpu", 0.1, "memory", "64Mi"), Map.of())))));

        assertThat(demand.perReplica()).isEqualTo(new Resources(350, 576 * MI, 0));
        assertThat(demand.replicas()).isEqualTo(3);
        assertThat(demand.duplicated()).isEqualTo(new Resources(1050, 3 * 576 * MI, 0));
    }

    @Test
    void aDemandBeyondWhatCanBeCountedIsRefusedRatherThanWrappedIntoAFit() {
        // 4Ei times 3 replicas overflows a long: wrapped around it would be negative and "fit" anywhere.
        assertThatThrownBy(() -> demand(deployment(
                        "web", 3, Map.of("containers", List.of(container("app", Map.of("memory", "4Ei"), Map.of()))))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out of range");
    }

    @Test
    void aLimitStandsForAnUnsetRequestAsKubernetesDefaultsIt() {
        WorkloadDemand demand = demand(deployment(
                "train",
                1,
                Map.of(
                        "containers",
                        List.of(container(
                                "trainer",
                                Map.of("cpu", "2"),
                                Map.of("cpu", "4", "memory", "1G", "nvidia.com/gpu", 2))))));

        // The request wins where there is one (cpu 2, not the limit 4); memory and GPUs come from the limits.
        assertThat(demand.perReplica()).isEqualTo(new Resources(2000, 1_000_000_000, 2));
    }

    @Test
    void initContainersCountByTheirPeakAndSidecarsRunAlongside() {
        WorkloadDemand demand = demand(deployment(
                "web",
                1,
                Map.of(
                        "initContainers",
                        List.of(
                                container("migrate", Map.of("cpu", "2", "memory", "256Mi"), Map.of()),
                                sidecar("mesh", Map.of("cpu", "100m", "memory", "128Mi")),
                                container("warm", Map.of("cpu", "500m", "memory", "3Gi"), Map.of())),
                        "containers",
                        List.of(container("app", Map.of("cpu", "1", "memory", "1Gi"), Map.of())),
                        "overhead",
                        Map.of("cpu", "50m", "memory", "32Mi"))));

        // cpu: max(app 1 + sidecar 0.1, migrate 2, warm 0.5 + sidecar 0.1) = 2; memory: max(1Gi + 128Mi, 256Mi,
        // 3Gi + 128Mi) = 3Gi + 128Mi; then the pod overhead.
        assertThat(demand.perReplica()).isEqualTo(new Resources(2050, 3 * GI + 160 * MI, 0));
    }

    @Test
    void severalPodTemplatesAddUpPerReplicaAndExactlyWhenDuplicated() {
        Map<String, Object> podSpec =
                Map.of("containers", List.of(container("c", Map.of("cpu", "1", "memory", "1Gi"), Map.of())));
        Map<String, Object> statefulSet = deployment("db", 1, podSpec);
        statefulSet = new java.util.HashMap<>(statefulSet);
        statefulSet.put("kind", "StatefulSet");

        WorkloadDemand demand = WorkloadDemand.of(workload(List.of(
                deployment("web", 4, podSpec),
                statefulSet,
                Map.of("kind", "ConfigMap", "metadata", Map.of("name", "settings")))));

        assertThat(demand.perReplica()).isEqualTo(new Resources(2000, 2 * GI, 0));
        assertThat(demand.replicas()).isEqualTo(4);
        // 4 web pods and 1 db pod, not 4 of each.
        assertThat(demand.duplicated()).isEqualTo(new Resources(5000, 5 * GI, 0));
        assertThat(demand.divided(2)).isEqualTo(new Resources(4000, 4 * GI, 0));
    }

    @Test
    void replicasDefaultToOneAndAWorkloadWithoutPodsAsksForNothing() {
        assertThat(demand(deployment("web", null, Map.of())).replicas()).isEqualTo(1);
        WorkloadDemand none = WorkloadDemand.of(workload(List.of(Map.of("kind", "Service"))));
        assertThat(none.perReplica()).isEqualTo(Resources.NONE);
        assertThat(none.replicas()).isEqualTo(1);
    }

    @Test
    void anInvalidQuantityNamesTheManifestTheContainerAndTheField() {
        Map<String, Object> podSpec =
                Map.of("containers", List.of(container("app", Map.of("cpu", "2 cores"), Map.of())));

        assertThatThrownBy(() -> demand(deployment("web", 1, podSpec)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "Deployment/web container 'app' resources cpu: '2 cores' is not a Kubernetes" + " quantity");
        Map<String, Object> negative =
                Map.of("containers", List.of(container("app", Map.of("memory", "-1Gi"), Map.of())));
        assertThatThrownBy(() -> demand(deployment("web", 1, negative)))
                .hasMessageContaining("'-1Gi' must not be negative");
        assertThatThrownBy(() -> demand(deployment("web", 1.5, Map.of())))
                .hasMessageContaining("Deployment/web spec.replicas: must be a whole number");
    }

    private static WorkloadDemand demand(Map<String, Object> manifest) {
        return WorkloadDemand.of(workload(List.of(manifest)));
    }

    private static Workload workload(List<Map<String, Object>> manifests) {
        return new Workload("checkout", "shop", 1, manifests, null, null, null, null);
    }

    private static Map<String, Object> deployment(String name, Object replicas, Map<String, Object> podSpec) {
        Map<String, Object> spec = new java.util.HashMap<>();
        spec.put("template", Map.of("spec", podSpec));
        if (replicas != null) {
            spec.put("replicas", replicas);
        }
        return Map.of("kind", "Deployment", "metadata", Map.of("name", name), "spec", spec);
    }

    private static Map<String, Object> container(
            String name, Map<String, Object> requests, Map<String, Object> limits) {
        return Map.of("name", name, "resources", Map.of("requests", requests, "limits", limits));
    }

    private static Map<String, Object> sidecar(String name, Map<String, Object> requests) {
        return Map.of("name", name, "restartPolicy", "Always", "resources", Map.of("requests", requests));
    }
}
