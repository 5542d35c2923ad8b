package io.meridian.inventory.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.selector.ClusterSelector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The list filter of {@code GET /api/v1/clusters}: label selectors see the well-known labels too. */
class ClusterListFilterTest {

    private static final List<ClusterRegistry.Registered> FLEET = List.of(
            registered("prod-aws-1", "aws", "us-east-1", "prod", Map.of("team", "payments")),
            registered("dev-aws-2", "aws", "eu-west-1", "dev", Map.of("team", "checkout")),
            registered("prod-gcp-1", "gcp", "europe-west1", "prod", Map.of("team", "payments")),
            registered("lab-onprem-1", "onprem", null, null, Map.of("meridian.io/cloud", "aws")));

    @Test
    void theWellKnownCloudLabelSelectsTheAwsClustersAndNotTheOthers() {
        assertThat(names(ClusterSelector.parse("meridian.io/cloud=aws"))).containsExactly("prod-aws-1", "dev-aws-2");
        assertThat(names(ClusterSelector.parse("meridian.io/cloud!=aws")))
                .containsExactly("prod-gcp-1", "lab-onprem-1");
    }

    @Test
    void theCloudRegionAndEnvironmentParametersFilterLikeTheWellKnownLabels() {
        assertThat(names(ClusterSelector.ALL.withClouds(List.of("aws")))).containsExactly("prod-aws-1", "dev-aws-2");
        assertThat(names(ClusterSelector.ALL.withEnvironments(List.of("prod"))))
                .containsExactly("prod-aws-1", "prod-gcp-1");
        assertThat(names(ClusterSelector.ALL.withRegions(List.of("eu-west-1")))).containsExactly("dev-aws-2");
        assertThat(names(ClusterSelector.parse("team=payments,meridian.io/environment=prod")
                        .withClouds(List.of("gcp"))))
                .containsExactly("prod-gcp-1");
        assertThat(names(null)).hasSize(FLEET.size());
    }

    private static List<String> names(ClusterSelector selector) {
        var filter = new ClusterRegistry.Filter(selector, null, null);
        return FLEET.stream()
                .filter(r -> ClusterRegistry.matches(r, filter))
                .map(r -> r.cluster().name)
                .toList();
    }

    private static ClusterRegistry.Registered registered(
            String name, String cloud, String region, String environment, Map<String, String> labels) {
        ClusterEntity cluster = new ClusterEntity();
        cluster.name = name;
        cluster.cloud = cloud;
        cluster.region = region;
        cluster.environment = environment;
        cluster.labels = labels;
        return new ClusterRegistry.Registered(cluster, null);
    }
}
