package io.meridian.placement.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.cluster.Cloud;
import io.meridian.contracts.cluster.ClusterPhase;
import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.cluster.Condition;
import io.meridian.contracts.cluster.ConditionStatus;
import io.meridian.contracts.resource.Container;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.resource.ResourceAmounts;
import io.meridian.contracts.resource.ResyncMarker;
import io.meridian.contracts.resource.StatusSummary;
import io.meridian.placement.domain.ClusterFacts;
import io.meridian.placement.domain.ClusterHealth;
import io.meridian.placement.domain.ClusterObservation;
import io.meridian.placement.domain.ClusterRates;
import io.meridian.placement.domain.Resources;
import io.meridian.placement.reconcile.FleetViewCache.Affected;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetViewCacheTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final long GIB = 1L << 30;

    private final FleetViewCache cache = new FleetViewCache(Clock.fixed(T0, ZoneOffset.UTC));

    @Test
    void clusterHealthComesFromThePhaseAndSinceFromItsCondition() {
        Instant lost = T0.minusSeconds(40);
        assertThat(cache.cluster(cluster("aws-1", Cloud.AWS, ClusterPhase.Ready, null)))
                .isEqualTo(Affected.ALL);
        assertThat(cache.fleet().get("aws-1").health()).isEqualTo(ClusterHealth.READY);
        assertThat(cache.fleet().get("aws-1").healthSince()).isEqualTo(T0); // no condition says since when: first seen
        assertThat(cache.fleet().get("aws-1").labels().get("meridian.io/cloud")).isEqualTo("aws");

        cache.cluster(cluster("aws-1", Cloud.AWS, ClusterPhase.Unreachable, lost));
        ClusterFacts facts = cache.fleet().get("aws-1");
        assertThat(facts.health()).isEqualTo(ClusterHealth.UNREACHABLE);
        assertThat(facts.healthSince()).isEqualTo(lost);

        cache.cluster(cluster("aws-1", Cloud.AWS, ClusterPhase.Connecting, null));
        assertThat(cache.fleet().get("aws-1").health()).isEqualTo(ClusterHealth.NOT_READY);
    }

    @Test
    void aClusterTurningNotReadyCountsFromTheEventNotFromAStaleReadyFlip() {
        Instant readyLongAgo = T0.minusSeconds(86_400);
        Instant observed = T0.minusSeconds(20);
        cache.cluster(cluster("aws-1", Cloud.AWS, ClusterPhase.Ready, readyLongAgo));
        assertThat(cache.fleet().get("aws-1").healthSince()).isEqualTo(readyLongAgo);

        // Inventory restarted: Connecting, while the Ready condition still says True since long ago.
        ClusterSnapshot ready = cluster("aws-1", Cloud.AWS, ClusterPhase.Ready, readyLongAgo);
        cache.cluster(withPhase(ready, ClusterPhase.Connecting, observed));

        ClusterFacts facts = cache.fleet().get("aws-1");
        assertThat(facts.health()).isEqualTo(ClusterHealth.NOT_READY);
        assertThat(facts.healthSince())
                .as("when inventory saw it, not the old Ready flip")
                .isEqualTo(observed);

        // The same health again keeps its time, though observed later.
        cache.cluster(withPhase(ready, ClusterPhase.Connecting, T0));
        assertThat(cache.fleet().get("aws-1").healthSince()).isEqualTo(observed);
    }

    @Test
    void theSameSnapshotAgainAffectsNothingAndDeregistrationForgetsTheCluster() {
        cache.cluster(cluster("gcp-1", Cloud.GCP, ClusterPhase.Ready, T0));
        assertThat(cache.cluster(cluster("gcp-1", Cloud.GCP, ClusterPhase.Ready, T0)))
                .isEqualTo(Affected.NOTHING);
        assertThat(cache.clusterGone("gcp-1")).isEqualTo(Affected.ALL);
        assertThat(cache.fleet().clusters()).isEmpty();
        assertThat(cache.clusterGone("gcp-1")).isEqualTo(Affected.NOTHING);
    }

    @Test
    void whatTheStreamsSayOfAClusterThatLeftIsForgottenOnceItStayedUnregistered() {
        cache.cluster(cluster("aws-1", Cloud.AWS, ClusterPhase.Ready, T0));
        cache.observed(node("aws-1", "n1", "4", "16Gi", null, 1));
        cache.cluster(cluster("aws-2", Cloud.AWS, ClusterPhase.Ready, T0));
        assertThat(cache.clusterGone("aws-1")).isEqualTo(Affected.ALL);
        assertThat(cache.heldClusterIds()).containsExactly("aws-2");

        // Its pods and rates, read after the tombstone (the streams are not ordered with each other), come back.
        assertThat(cache.observed(pod("aws-1", "web-1", "n1", "Running", 500, GIB, 1)))
                .isEqualTo(Affected.NOTHING);
        cache.rates("aws-1", new ClusterRates("USD", 0.04, 0.005, 0, 0.2));
        assertThat(cache.heldClusterIds()).containsExactly("aws-1", "aws-2");
        assertThat(cache.fleet().get("aws-1")).isNull();

        // Not yet past the time a registration may take to follow; then forgotten, while a registered one stays.
        assertThat(cache.forgetUnregistered(T0)).isEmpty();
        assertThat(cache.forgetUnregistered(T0.plusSeconds(1))).containsExactly("aws-1");
        assertThat(cache.heldClusterIds()).containsExactly("aws-2");
    }

    @Test
    void objectsReadBeforeTheirClusterIsRegisteredCountOnceItIs() {
        cache.observed(node("gcp-1", "n1", "4", "16Gi", null, 1));
        cache.cluster(cluster("gcp-1", Cloud.GCP, ClusterPhase.Ready, T0));
        // Registered now: however old its first object, the housekeeping leaves it alone.
        assertThat(cache.forgetUnregistered(T0.plusSeconds(3600))).isEmpty();
        assertThat(cache.fleet().get("gcp-1").allocatable()).isEqualTo(new Resources(4000, 16 * GIB, 0));
    }

    @Test
    void anObservedPodCountsItsSidecarsInitContainersAndOverheadAsTheSchedulerDoes() {
        cache.cluster(cluster("aws-1", Cloud.AWS, ClusterPhase.Ready, T0));
        ObservedResource pod = pod("aws-1", "web-1", "n1", "Running", 500, GIB, 1);
        Map<String, Object> object = new HashMap<>(pod.object());
        object.put(
                "spec",
                Map.of(
                        "containers",
                        List.of(Map.of("name", "app")),
                        "initContainers",
                        List.of(
                                Map.of(
                                        "name",
                                        "proxy",
                                        "restartPolicy",
                                        "Always",
                                        "resources",
                                        Map.of("requests", Map.of("cpu", "100m", "memory", "128Mi"))),
                                Map.of(
                                        "name",
                                        "migrate",
                                        "resources",
                                        Map.of("requests", Map.of("cpu", "2", "memory", "64Mi")))),
                        "overhead",
                        Map.of("cpu", "250m", "memory", "1Mi")));
        cache.observed(withObject(pod, object));

        // max(app 500m + sidecar 100m, migrate 2000m + sidecar 100m) + overhead 250m; memory: 1Gi + 128Mi + 1Mi.
        assertThat(cache.fleet().get("aws-1").requested()).isEqualTo(new Resources(2350, GIB + (129L << 20), 0));
    }

    @Test
    void capacityIsSummedPerObjectSoThatUpdatesAndDeletionsAdjustIt() {
        cache.cluster(cluster("aws-1", Cloud.AWS, ClusterPhase.Ready, T0));
        assertThat(cache.observed(node("aws-1", "n1", "3920m", "16Gi", null, 1)))
                .isEqualTo(Affected.ALL);
        cache.observed(node("aws-1", "n2", "4", "16Gi", "1", 1));
        assertThat(cache.observed(pod("aws-1", "web-1", "n1", "Running", 500, 256L << 20, 1)))
                .isEqualTo(Affected.NOTHING); // pods churn: the resync picks capacity up
        cache.observed(pod("aws-1", "web-2", "n2", "Running", 250, 128L << 20, 1));
        cache.observed(pod("aws-1", "pending", null, "Pending", 4000, GIB, 1)); // not bound: takes nothing yet

        ClusterFacts facts = cache.fleet().get("aws-1");
        assertThat(facts.allocatable()).isEqualTo(new Resources(7920, 32 * GIB, 1));
        assertThat(facts.requested()).isEqualTo(new Resources(750, 384L << 20, 0));

        // An update replaces the pod's contribution; an ended pod and a deleted one give theirs back.
        cache.observed(pod("aws-1", "web-1", "n1", "Running", 1000, 256L << 20, 1));
        assertThat(cache.fleet().get("aws-1").requested()).isEqualTo(new Resources(1250, 384L << 20, 0));
        cache.observed(pod("aws-1", "web-1", "n1", "Succeeded", 1000, 256L << 20, 1));
        cache.deleted(pod("aws-1", "web-2", "n2", "Running", 0, 0, 1).key());
        assertThat(cache.fleet().get("aws-1").requested()).isEqualTo(Resources.NONE);

        // A relist that no longer confirms n1 drops it.
        cache.observed(node("aws-1", "n2", "4", "16Gi", "1", 2));
        assertThat(cache.resyncCompleted(new ResyncMarker("aws-1", 2, ResyncMarker.Phase.Completed, 1, T0)))
                .isEqualTo(Affected.ALL);
        assertThat(cache.fleet().get("aws-1").allocatable()).isEqualTo(new Resources(4000, 16 * GIB, 1));
    }

    @Test
    void aRelistThatCouldNotListNodesKeepsTheCapacityItKnew() {
        cache.cluster(cluster("aws-1", Cloud.AWS, ClusterPhase.Ready, T0));
        cache.observed(node("aws-1", "n1", "4", "16Gi", null, 1));
        cache.observed(node("aws-1", "n2", "4", "16Gi", null, 1));
        cache.observed(pod("aws-1", "gone", "n1", "Running", 500, 256L << 20, 1));

        ResyncMarker nodesForbidden = new ResyncMarker(
                "aws-1", 2, ResyncMarker.Phase.Completed, 0, T0, List.of(new ResyncMarker.GroupKind("", "Node")));
        cache.resyncCompleted(nodesForbidden);

        assertThat(cache.fleet().get("aws-1").allocatable()).isEqualTo(new Resources(8000, 32 * GIB, 0));
        assertThat(cache.fleet().get("aws-1").requested()).isEqualTo(Resources.NONE);
    }

    @Test
    void absurdFiguresFromAClusterAreBoundedInsteadOfBreakingTheSums() {
        cache.cluster(cluster("aws-1", Cloud.AWS, ClusterPhase.Ready, T0));
        // Each near the largest quantity Kubernetes can write; two of them used to overflow a long and throw.
        cache.observed(node("aws-1", "n1", "9000000000000", "7Ei", null, 1));
        cache.observed(node("aws-1", "n2", "9000000000000", "7Ei", null, 1));

        Resources allocatable = cache.fleet().get("aws-1").allocatable();
        assertThat(allocatable.cpuMillis()).isPositive().isEqualTo(2L << 45);
        assertThat(allocatable.memoryBytes()).isPositive().isEqualTo(2L << 45);
    }

    @Test
    void aCordonedNodeOffersNothing() {
        cache.cluster(cluster("aws-1", Cloud.AWS, ClusterPhase.Ready, T0));
        cache.observed(node("aws-1", "n1", "4", "16Gi", null, 1));
        ObservedResource cordoned = node("aws-1", "n1", "4", "16Gi", null, 1);
        Map<String, Object> object = new HashMap<>(cordoned.object());
        object.put("spec", Map.of("unschedulable", true));
        assertThat(cache.observed(withObject(cordoned, object))).isEqualTo(Affected.ALL);
        assertThat(cache.fleet().get("aws-1").allocatable()).isEqualTo(Resources.NONE);
    }

    @Test
    void ratesArriveBeforeOrAfterTheClusterAndAChangeAffectsEveryWorkload() {
        ClusterRates rates = new ClusterRates("USD", 0.04, 0.005, 0, 0.2);
        assertThat(cache.rates("azure-1", rates)).isEqualTo(Affected.NOTHING); // not registered yet
        cache.cluster(cluster("azure-1", Cloud.AZURE, ClusterPhase.Ready, T0));
        assertThat(cache.fleet().get("azure-1").rates()).isEqualTo(rates);
        assertThat(cache.rates("azure-1", rates)).isEqualTo(Affected.NOTHING);
        assertThat(cache.rates("azure-1", null)).isEqualTo(Affected.ALL);
        assertThat(cache.fleet().get("azure-1").rates()).isNull();
    }

    @Test
    void aWorkloadIsAvailableOnlyAtItsGenerationWithEveryReplicaAvailable() {
        cache.cluster(cluster("aws-1", Cloud.AWS, ClusterPhase.Ready, T0));
        List<String> expected = List.of("Deployment/web");
        assertThat(cache.observation("checkout", "shop", "aws-1", 2, expected, 2)
                        .available())
                .isFalse(); // nothing observed yet

        assertThat(cache.observed(deployment("aws-1", "web", 1, 3, 3, 3, 3, List.of())))
                .isEqualTo(Affected.workload("checkout"));
        ClusterObservation old = cache.observation("checkout", "shop", "aws-1", 2, expected, 1);
        assertThat(old.available()).isFalse();
        assertThat(old.condition()).isNull(); // still at generation 1: nothing is wrong with it
        assertThat(old.unavailableSince()).isNull();

        cache.observed(deployment("aws-1", "web", 2, 4, 3, 3, 1, List.of()));
        ClusterObservation rolling = cache.observation("checkout", "shop", "aws-1", 2, expected, 2);
        assertThat(rolling.available()).isFalse();
        assertThat(rolling.unavailableSince()).isEqualTo(T0);

        cache.observed(deployment("aws-1", "web", 2, 4, 4, 3, 3, List.of()));
        assertThat(cache.observation("checkout", "shop", "aws-1", 2, expected, 2))
                .isEqualTo(new ClusterObservation("aws-1", 2, true, null, null));
        // The same status again wakes nobody.
        assertThat(cache.observed(deployment("aws-1", "web", 2, 4, 4, 3, 3, List.of())))
                .isEqualTo(Affected.NOTHING);
    }

    @Test
    void progressDeadlineExceededWinsAndCarriesItsTransitionTime() {
        cache.cluster(cluster("aws-1", Cloud.AWS, ClusterPhase.Ready, T0));
        Instant gaveUp = T0.minusSeconds(90);
        cache.observed(deployment(
                "aws-1",
                "web",
                2,
                4,
                4,
                3,
                1,
                List.of(
                        condition("Available", "False", "MinimumReplicasUnavailable", T0.minusSeconds(600)),
                        condition("Progressing", "False", "ProgressDeadlineExceeded", gaveUp))));
        ClusterObservation o = cache.observation("checkout", "shop", "aws-1", 2, List.of("Deployment/web"), 2);
        assertThat(o.available()).isFalse();
        assertThat(o.condition()).isEqualTo("ProgressDeadlineExceeded");
        assertThat(o.unavailableSince()).isEqualTo(gaveUp);
    }

    @Test
    void objectsWithoutTheWorkloadLabelAreNotPlacements() {
        cache.cluster(cluster("aws-1", Cloud.AWS, ClusterPhase.Ready, T0));
        ObservedResource unlabelled = deployment("aws-1", "web", 2, 4, 4, 3, 3, List.of());
        unlabelled = new ObservedResource(
                unlabelled.clusterId(),
                unlabelled.apiGroup(),
                unlabelled.apiVersion(),
                unlabelled.kind(),
                unlabelled.namespace(),
                unlabelled.name(),
                unlabelled.uid(),
                unlabelled.resourceVersion(),
                Map.of("app", "web"),
                unlabelled.annotations(),
                null,
                null,
                List.of(),
                null,
                null,
                unlabelled.status(),
                unlabelled.observedAt(),
                1,
                unlabelled.object());
        assertThat(cache.observed(unlabelled)).isEqualTo(Affected.NOTHING);
        assertThat(cache.observation("checkout", "shop", "aws-1", 2, List.of("Deployment/web"), 2)
                        .available())
                .isFalse();
    }

    @Test
    void aWorkloadOfNoDeploymentIsAvailableOnceApplied() {
        assertThat(cache.observation("config-only", "shop", "aws-1", 3, List.of(), 2)
                        .available())
                .isFalse();
        assertThat(cache.observation("config-only", "shop", "aws-1", 3, List.of(), 3)
                        .available())
                .isTrue();
    }

    // ------------------------------------------------------------------ fixtures

    static ClusterSnapshot cluster(String id, Cloud cloud, ClusterPhase phase, Instant transition) {
        List<Condition> conditions = transition == null
                ? List.of()
                : List.of(
                        new Condition(
                                "Reachable",
                                phase == ClusterPhase.Unreachable ? ConditionStatus.False : ConditionStatus.True,
                                phase == ClusterPhase.Unreachable ? "ProbeFailed" : "ProbeSucceeded",
                                null,
                                transition),
                        new Condition(
                                "Ready",
                                phase == ClusterPhase.Ready ? ConditionStatus.True : ConditionStatus.False,
                                phase.name(),
                                null,
                                transition));
        return new ClusterSnapshot(
                id,
                id,
                null,
                cloud,
                "eu-west-1",
                "prod",
                Map.of(),
                "https://" + id + ".example",
                null,
                phase,
                conditions,
                "v1.31.0",
                2,
                8000,
                32 * GIB,
                null,
                null,
                List.of(),
                1,
                T0);
    }

    static ClusterSnapshot withPhase(ClusterSnapshot s, ClusterPhase phase, Instant observedAt) {
        return new ClusterSnapshot(
                s.clusterId(),
                s.name(),
                s.displayName(),
                s.cloud(),
                s.region(),
                s.environment(),
                s.labels(),
                s.apiServerUrl(),
                s.metricsUrl(),
                phase,
                s.conditions(),
                s.kubernetesVersion(),
                s.nodeCount(),
                s.allocatableCpuMillis(),
                s.allocatableMemoryBytes(),
                s.detectedCloud(),
                s.detectedRegion(),
                s.warnings(),
                s.revision() + 1,
                observedAt);
    }

    static ObservedResource node(String cluster, String name, String cpu, String memory, String gpus, long epoch) {
        Map<String, Object> allocatable = new HashMap<>(Map.of("cpu", cpu, "memory", memory, "pods", "110"));
        if (gpus != null) {
            allocatable.put("nvidia.com/gpu", gpus);
        }
        Map<String, Object> object = Map.of(
                "apiVersion",
                "v1",
                "kind",
                "Node",
                "metadata",
                Map.of("name", name),
                "status",
                Map.of("allocatable", allocatable));
        return new ObservedResource(
                cluster,
                "",
                "v1",
                "Node",
                null,
                name,
                "uid-" + name,
                "1",
                Map.of(),
                Map.of(),
                null,
                null,
                List.of(),
                null,
                null,
                new StatusSummary(null, true, null, null, null, Map.of("Ready", "True")),
                T0,
                epoch,
                object);
    }

    static ObservedResource pod(
            String cluster, String name, String node, String phase, long cpuMillis, long memory, long epoch) {
        Map<String, Object> object = Map.of(
                "apiVersion",
                "v1",
                "kind",
                "Pod",
                "metadata",
                Map.of("name", name, "namespace", "shop"),
                "spec",
                Map.of("containers", List.of(Map.of("name", "app"))));
        return new ObservedResource(
                cluster,
                "",
                "v1",
                "Pod",
                "shop",
                name,
                "uid-" + name,
                "1",
                Map.of(),
                Map.of(),
                null,
                node,
                List.of(new Container("app", "shop/web:1", new ResourceAmounts(cpuMillis, memory), null)),
                null,
                null,
                new StatusSummary(phase, true, null, null, 0, Map.of()),
                T0,
                epoch,
                object);
    }

    static Map<String, Object> condition(String type, String status, String reason, Instant at) {
        return Map.of("type", type, "status", status, "reason", reason, "lastTransitionTime", at.toString());
    }

    static ObservedResource deployment(
            String cluster,
            String name,
            long workloadGeneration,
            long generation,
            long observedGeneration,
            int replicas,
            int available,
            List<Map<String, Object>> conditions) {
        Map<String, Object> object = Map.of(
                "apiVersion",
                "apps/v1",
                "kind",
                "Deployment",
                "metadata",
                Map.of("name", name, "namespace", "shop", "generation", generation),
                "spec",
                Map.of("replicas", replicas),
                "status",
                Map.of(
                        "observedGeneration",
                        observedGeneration,
                        "availableReplicas",
                        available,
                        "conditions",
                        conditions));
        return new ObservedResource(
                cluster,
                "apps",
                "apps/v1",
                "Deployment",
                "shop",
                name,
                "uid-" + name,
                "1",
                Map.of("meridian.io/workload", "checkout"),
                Map.of("meridian.io/workload-generation", Long.toString(workloadGeneration)),
                null,
                null,
                List.of(),
                null,
                null,
                StatusSummary.EMPTY,
                T0,
                1,
                object);
    }

    static ObservedResource withObject(ObservedResource r, Map<String, Object> object) {
        return new ObservedResource(
                r.clusterId(),
                r.apiGroup(),
                r.apiVersion(),
                r.kind(),
                r.namespace(),
                r.name(),
                r.uid(),
                r.resourceVersion(),
                r.labels(),
                r.annotations(),
                r.owner(),
                r.nodeName(),
                r.containers(),
                r.rbac(),
                r.storage(),
                r.status(),
                r.observedAt(),
                r.resyncEpoch(),
                object);
    }
}
