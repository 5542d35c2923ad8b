package io.meridian.placement.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.selector.ClusterSelector;
import io.meridian.contracts.selector.LabelSelector;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The numbers and names of a workload, each problem naming its field as the API spells it. */
class WorkloadRulesTest {

    private static final Map<String, Object> CONFIG_MAP =
            ManifestRulesTest.manifest("{apiVersion: v1, kind: ConfigMap, metadata: {name: settings}}");

    @Test
    void aPlainWorkloadIsValidAndStoredWithItsNamespaceFilledIn() {
        WorkloadRules.Checked checked = WorkloadRules.check(workload(PlacementPolicy.DEFAULT));

        assertThat(checked.problems()).isEmpty();
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata =
                (Map<String, Object>) checked.workload().manifests().getFirst().get("metadata");
        assertThat(metadata).containsEntry("namespace", "shop");
    }

    @Test
    void aSelectorIsJudgedWithTheWorkloadLabelTheRendererStampsOnItsPods() {
        String deployment = "{apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, spec: {selector:"
                + " {matchLabels: {meridian.io/workload: %s}}, template: {metadata: {labels: {app: web}}, spec:"
                + " {containers: [{name: web, image: nginx}]}}}}";
        Workload own = new Workload(
                "checkout",
                "shop",
                0,
                List.of(ManifestRulesTest.manifest(deployment.formatted("checkout"))),
                null,
                null,
                null,
                null);
        Workload another = new Workload(
                "checkout",
                "shop",
                0,
                List.of(ManifestRulesTest.manifest(deployment.formatted("cart"))),
                null,
                null,
                null,
                null);

        assertThat(WorkloadRules.check(own).problems()).isEmpty();
        assertThat(fields(WorkloadRules.check(another))).containsExactly("manifests[0].spec.template.metadata.labels");
    }

    @Test
    void nameAndNamespaceAreDnsLabelsAndNoWorkloadGoesToTheClustersOwnNamespaces() {
        Workload w = new Workload("Checkout!", "kube-system", 0, List.of(CONFIG_MAP), null, null, null, null);

        assertThat(fields(WorkloadRules.check(w))).contains("name", "namespace");
        assertThat(WorkloadRules.check(new Workload("a", "shop", 0, List.of(), null, null, null, null))
                        .problems())
                .containsExactly(new FieldProblem("manifests", "must hold at least one manifest"));
    }

    @Test
    void placementNumbersMustMakeSense() {
        PlacementPolicy policy = new PlacementPolicy(
                ClusterSelector.ALL,
                PlacementMode.DIVIDED,
                0,
                DivideBy.WEIGHTS,
                List.of(new PlacementPolicy.StaticWeight(ClusterSelector.parse("tier=edge"), -1)),
                new PlacementPolicy.ClusterRange(3, 2),
                List.of(
                        new PlacementPolicy.SpreadConstraint("cloud", 0),
                        new PlacementPolicy.SpreadConstraint("not a key!", 1),
                        new PlacementPolicy.SpreadConstraint("region", 5)),
                new Preference.LabelOrder("tier", List.of()));

        assertThat(fields(WorkloadRules.check(workload(policy))))
                .containsExactly(
                        "placement.replicas",
                        "placement.weights[0].weight",
                        "placement.clusters.max",
                        "placement.spread[0].min",
                        "placement.spread[1].by",
                        "placement.spread[2].min",
                        "placement.prefer.order");
    }

    @Test
    void selectorsUseTheFleetsSyntaxAndCloudNames() {
        ClusterSelector selector = new ClusterSelector(
                new LabelSelector(
                        Map.of("bad key!", "x"), List.of(new LabelSelector.Requirement("tier", null, List.of("a")))),
                java.util.Set.of("aws", "alibaba"),
                java.util.Set.of(),
                java.util.Set.of());
        PlacementPolicy policy = new PlacementPolicy(selector, null, 0, null, null, null, null, null);

        assertThat(WorkloadRules.check(workload(policy)).problems())
                .extracting(FieldProblem::field)
                .containsExactlyInAnyOrder(
                        "placement.clusterSelector.labelSelector.matchExpressions[0].operator",
                        "placement.clusterSelector.labelSelector.matchLabels[bad key!]",
                        "placement.clusterSelector.clouds");
    }

    @Test
    void rolloutAndFailoverNumbersMustMakeSense() {
        Workload w = new Workload(
                "checkout",
                "shop",
                0,
                List.of(CONFIG_MAP),
                PlacementPolicy.DEFAULT,
                new RolloutStrategy(
                        -1, new RolloutStrategy.MaxInFlight(120, true), Duration.ofSeconds(-1), Duration.ZERO),
                new FailoverPolicy(Duration.ZERO, Duration.ofMinutes(5), 1.5, null, Duration.ofSeconds(-5)),
                List.of());

        assertThat(fields(WorkloadRules.check(w)))
                .containsExactly(
                        "rollout.canary",
                        "rollout.maxInFlight",
                        "rollout.pause",
                        "rollout.healthTimeout",
                        "failover.after",
                        "failover.maxFraction",
                        "failover.failback",
                        "failover.stableFor");
    }

    @Test
    void quantitiesAndReplicaCountsTheSchedulerCannotReadAreRefusedNamingTheManifest() {
        Map<String, Object> lots = ManifestRulesTest.manifest("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [{name: web, image: web, resources: {requests: {cpu: lots}}}]}
                """);
        Map<String, Object> huge = ManifestRulesTest.manifest("""
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db}
                spec:
                  replicas: 3000000000
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec: {containers: [{name: db, image: postgres}]}
                """);
        Workload w = new Workload("checkout", "shop", 0, List.of(CONFIG_MAP, lots, huge), null, null, null, null);

        List<FieldProblem> problems = WorkloadRules.check(w).problems();

        assertThat(problems).extracting(FieldProblem::field).containsExactly("manifests[1]", "manifests[2]");
        assertThat(problems.get(0).message())
                .startsWith("Deployment/web container 'web' resources cpu: 'lots' is not a Kubernetes quantity");
        assertThat(problems.get(1).message()).startsWith("StatefulSet/db spec.replicas:");
    }

    private static Workload workload(PlacementPolicy placement) {
        return new Workload("checkout", "shop", 0, List.of(CONFIG_MAP), placement, null, null, null);
    }

    private static List<String> fields(WorkloadRules.Checked checked) {
        return checked.problems().stream().map(FieldProblem::field).toList();
    }
}
