package io.meridian.identity.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which clusters a grant's scope reaches: the fleet's cluster selector over the selectable labels. */
class ClusterScopeTest {

    private static final FleetCluster PROD_AWS =
            new FleetCluster("prod-aws-1", "aws", "us-east-1", "prod", Map.of("team", "payments"));
    private static final FleetCluster DEV_AWS =
            new FleetCluster("dev-aws-1", "aws", "eu-west-1", "dev", Map.of("team", "checkout"));
    private static final FleetCluster PROD_GCP =
            new FleetCluster("prod-gcp-1", "gcp", "europe-west1", "prod", Map.of("team", "payments"));
    // Says aws in a label of its own; the registered cloud is what counts.
    private static final FleetCluster LAB_ONPREM =
            new FleetCluster("lab-1", "onprem", "dc1", "dev", Map.of("meridian.io/cloud", "aws"));
    private static final List<FleetCluster> FLEET = List.of(PROD_AWS, DEV_AWS, PROD_GCP, LAB_ONPREM);

    @Test
    void theWellKnownCloudLabelSelectsTheAwsClustersAndNotTheOthers() {
        assertThat(reached(new ClusterScope(Map.of("meridian.io/cloud", "aws"), null, null)))
                .containsExactly("prod-aws-1", "dev-aws-1");
        assertThat(reached(new ClusterScope(null, "aws", null))).containsExactly("prod-aws-1", "dev-aws-1");
    }

    @Test
    void labelsCloudAndEnvironmentMustAllHold() {
        assertThat(reached(new ClusterScope(null, null, null))).hasSize(FLEET.size());
        assertThat(reached(new ClusterScope(Map.of("team", "payments"), null, "prod")))
                .containsExactly("prod-aws-1", "prod-gcp-1");
        assertThat(reached(new ClusterScope(Map.of("team", "payments"), "gcp", "prod")))
                .containsExactly("prod-gcp-1");
        assertThat(reached(new ClusterScope(Map.of("meridian.io/region", "dc1"), null, null)))
                .containsExactly("lab-1");
        assertThat(reached(new ClusterScope(Map.of("meridian.io/cluster", "dev-aws-1"), null, null)))
                .containsExactly("dev-aws-1");
        assertThat(reached(new ClusterScope(null, "azure", null))).isEmpty();
    }

    @Test
    void theEnvironmentIsTheRegisteredOneAsEverywhereInTheFleet() {
        // A staging cluster labelled environment=prod: a prod-scoped grant does not reach it (it did before the
        // fleet shared one selector); the label still selects it, and the guard rails still count it as prod.
        FleetCluster relabelled =
                new FleetCluster("stg-1", "aws", "us-east-1", "staging", Map.of("environment", "prod"));

        assertThat(new ClusterScope(null, null, "prod").matches(relabelled)).isFalse();
        assertThat(new ClusterScope(null, null, "staging").matches(relabelled)).isTrue();
        assertThat(new ClusterScope(Map.of("environment", "prod"), null, null).matches(relabelled))
                .isTrue();
        assertThat(relabelled.isProd()).isTrue();
    }

    @Test
    void theSelectorCarriesTheWholeScope() {
        var selector = new ClusterScope(Map.of("team", "payments"), "aws", "prod").selector();

        assertThat(selector.toString())
                .isEqualTo("team=payments,meridian.io/cloud in (aws),meridian.io/environment in (prod)");
    }

    private static List<String> reached(ClusterScope scope) {
        return FLEET.stream().filter(scope::matches).map(FleetCluster::id).toList();
    }
}
