package io.meridian.policy.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.meridian.contracts.cluster.Cloud;
import io.meridian.contracts.cluster.ClusterPhase;
import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.selector.LabelSelector;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A policy's fleet scope selects clusters as every selector in the fleet does: well-known labels included. */
class FleetScopeTest {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .build();

    // As the reconciler receives them from fleet.clusters.v1.
    private static final FleetCluster PROD_AWS =
            FleetCluster.of(snapshot("prod-aws-1", Cloud.AWS, "us-east-1", "prod", Map.of("team", "payments")));
    private static final FleetCluster DEV_AWS =
            FleetCluster.of(snapshot("dev-aws-1", Cloud.AWS, "eu-west-1", "dev", Map.of("team", "checkout")));
    private static final FleetCluster PROD_GCP =
            FleetCluster.of(snapshot("prod-gcp-1", Cloud.GCP, "europe-west1", "prod", Map.of("team", "payments")));
    private static final FleetCluster EDGE =
            FleetCluster.of(snapshot("edge-1", Cloud.ONPREM, null, null, Map.of("meridian.io/cloud", "aws")));
    private static final List<FleetCluster> FLEET = List.of(PROD_AWS, DEV_AWS, PROD_GCP, EDGE);

    @Test
    void aClusterSelectorOnTheWellKnownCloudLabelSelectsTheAwsClustersAndNotTheOthers() {
        var scope = new PolicyDefinition.FleetScope(
                new LabelSelector(Map.of("meridian.io/cloud", "aws"), List.of()), List.of(), List.of());

        assertThat(appliesTo(scope)).containsExactly("prod-aws-1", "dev-aws-1");
    }

    @Test
    void theWellKnownLabelsServeEveryOperator() {
        assertThat(appliesTo(scope(LabelSelector.parse("meridian.io/region in (eu-west-1,europe-west1)"))))
                .containsExactly("dev-aws-1", "prod-gcp-1");
        assertThat(appliesTo(scope(LabelSelector.parse("meridian.io/cloud!=aws,!meridian.io/environment"))))
                .containsExactly("edge-1");
        assertThat(appliesTo(scope(LabelSelector.parse("environment=prod,team=payments"))))
                .containsExactly("prod-aws-1", "prod-gcp-1");
        assertThat(appliesTo(scope(LabelSelector.parse("meridian.io/cluster=dev-aws-1"))))
                .containsExactly("dev-aws-1");
    }

    @Test
    void cloudsEnvironmentsAndTheSelectorMustAllHold() {
        var scope = new PolicyDefinition.FleetScope(
                LabelSelector.parse("team=payments"), List.of("aws", "gcp"), List.of("prod"));

        assertThat(appliesTo(scope)).containsExactly("prod-aws-1", "prod-gcp-1");
        assertThat(appliesTo(new PolicyDefinition.FleetScope(null, List.of("gcp"), null)))
                .containsExactly("prod-gcp-1");
        assertThat(appliesTo(PolicyDefinition.FleetScope.EVERYWHERE)).hasSize(FLEET.size());
    }

    @Test
    void violationsOpenOnlyOnTheSelectedClusters() {
        FleetCompliance fleet = new FleetCompliance(java.time.Clock.fixed(Instant.EPOCH, java.time.ZoneOffset.UTC));
        FLEET.forEach(fleet::cluster);
        FLEET.forEach(c -> fleet.observe(FleetComplianceTest.pod(c.clusterId(), "a", "web", true), 1));

        var opened = fleet.policy(FleetComplianceTest.policy(
                "no-privileged-on-aws", 1, scope(LabelSelector.parse("meridian.io/cloud=aws")), null));

        assertThat(opened)
                .allSatisfy(t -> assertThat(t).isInstanceOf(FleetCompliance.Opened.class))
                .extracting(t -> t.result().clusterId())
                .containsExactlyInAnyOrder("prod-aws-1", "dev-aws-1");
    }

    @Test
    void theJsonShapeOfAFleetScopeStaysAsItWas() throws Exception {
        var scope = JSON.readValue("""
                {"clusterSelector": {"matchLabels": {"tier": "gold"},
                                     "matchExpressions": [{"key": "meridian.io/cloud", "operator": "In",
                                                           "values": ["aws"]}]},
                 "clouds": ["aws"], "environments": ["prod"]}""", PolicyDefinition.FleetScope.class);

        assertThat(appliesTo(scope)).isEmpty(); // no cluster is tier=gold
        assertThat(JSON.readTree(JSON.writeValueAsString(scope))).isEqualTo(JSON.readTree("""
                        {"clusterSelector": {"matchLabels": {"tier": "gold"},
                                             "matchExpressions": [{"key": "meridian.io/cloud", "operator": "In",
                                                                   "values": ["aws"]}],
                                             "empty": false},
                         "clouds": ["aws"], "environments": ["prod"]}"""));
    }

    @Test
    void badSelectorsAreNamedByTheirField() throws Exception {
        var scope = JSON.readValue("""
                {"clusterSelector": {"matchExpressions": [{"key": "meridian.io/cloud", "operator": "Equals",
                                                           "values": ["aws"]},
                                                          {"key": "", "operator": "In", "values": ["x"]},
                                                          {"key": "tier", "operator": "In"}]}}""", PolicyDefinition.FleetScope.class);
        var def = new PolicyDefinition(
                "bad-scope",
                null,
                null,
                null,
                List.of(),
                scope,
                FleetComplianceTest.policy("x", 1, PolicyDefinition.FleetScope.EVERYWHERE, null)
                        .definition()
                        .spec(),
                null);

        assertThat(PolicyRules.check(def))
                .containsExactly(
                        new FieldProblem(
                                "fleetScope.clusterSelector.matchExpressions[0].operator",
                                "must be one of In, NotIn, Exists, DoesNotExist"),
                        new FieldProblem("fleetScope.clusterSelector.matchExpressions[1].key", "is required"),
                        new FieldProblem(
                                "fleetScope.clusterSelector.matchExpressions[2].values", "must not be empty for In"));
    }

    private static PolicyDefinition.FleetScope scope(LabelSelector selector) {
        return new PolicyDefinition.FleetScope(selector, List.of(), List.of());
    }

    private static List<String> appliesTo(PolicyDefinition.FleetScope scope) {
        CompiledPolicy policy = FleetComplianceTest.policy("scoped", 1, scope, null);
        return FLEET.stream()
                .filter(policy::appliesTo)
                .map(FleetCluster::clusterId)
                .toList();
    }

    private static ClusterSnapshot snapshot(
            String id, Cloud cloud, String region, String environment, Map<String, String> labels) {
        return new ClusterSnapshot(
                id,
                id,
                null,
                cloud,
                region,
                environment,
                labels,
                "https://" + id,
                null,
                ClusterPhase.Ready,
                null,
                null,
                3,
                0,
                0,
                null,
                null,
                null,
                1,
                Instant.parse("2026-12-01T10:00:00Z"));
    }
}
