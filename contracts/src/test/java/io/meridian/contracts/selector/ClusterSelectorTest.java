package io.meridian.contracts.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.contracts.cluster.Cloud;
import io.meridian.contracts.cluster.ClusterPhase;
import io.meridian.contracts.cluster.ClusterSnapshot;
import io.meridian.contracts.selector.LabelSelector.Requirement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cluster selection as every service sees it: labels plus well-known facts, and clouds, environments, regions. */
class ClusterSelectorTest {

    private static final ClusterSnapshot PROD_AWS =
            snapshot("prod-aws-1", Cloud.AWS, "us-east-1", "prod", Map.of("team", "payments"));
    private static final ClusterSnapshot PROD_GCP =
            snapshot("prod-gcp-1", Cloud.GCP, "europe-west1", "prod", Map.of("team", "payments"));
    private static final ClusterSnapshot DEV_AWS =
            snapshot("dev-aws-1", Cloud.AWS, "eu-west-1", "dev", Map.of("team", "checkout", "gpu", ""));
    private static final ClusterSnapshot BARE = snapshot("bare", null, null, null, Map.of());
    private static final List<ClusterSnapshot> FLEET = List.of(PROD_AWS, PROD_GCP, DEV_AWS, BARE);

    @Test
    void wellKnownCloudLabelSelectsTheAwsClusters() {
        assertThat(selected(ClusterSelector.parse("meridian.io/cloud=aws"))).containsExactly("prod-aws-1", "dev-aws-1");
        assertThat(selected(ClusterSelector.ALL.withClouds(List.of("aws")))).containsExactly("prod-aws-1", "dev-aws-1");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|prod-aws-1,prod-gcp-1,dev-aws-1,bare",
                "meridian.io/cloud!=aws|prod-gcp-1,bare",
                "meridian.io/cloud in (aws,gcp),environment=prod|prod-aws-1,prod-gcp-1",
                "meridian.io/environment=dev|dev-aws-1",
                "meridian.io/region in (eu-west-1,europe-west1)|prod-gcp-1,dev-aws-1",
                "meridian.io/cluster=bare|bare",
                "team=payments,meridian.io/cloud notin (gcp)|prod-aws-1",
                "gpu|dev-aws-1",
                "!meridian.io/environment|bare",
                "meridian.io/cloud|prod-aws-1,prod-gcp-1,dev-aws-1",
            })
    void selectsOnLabelsAndWellKnownFacts(String selector, String clusters) {
        assertThat(selected(ClusterSelector.parse(selector))).containsExactly(clusters.split(","));
    }

    @Test
    void anEmptySelectorSelectsTheWholeFleet() {
        assertThat(ClusterSelector.ALL.selectsAll()).isTrue();
        assertThat(new ClusterSelector(null, null, null, null)).isEqualTo(ClusterSelector.ALL);
        assertThat(ClusterSelector.parse(" ")).isEqualTo(ClusterSelector.ALL);
        assertThat(ClusterSelector.ALL
                        .withClouds(null)
                        .withEnvironments(List.of())
                        .withRegions(null))
                .isEqualTo(ClusterSelector.ALL);
        assertThat(selected(ClusterSelector.ALL)).hasSize(FLEET.size());
        assertThat(ClusterSelector.ALL.withRegions(List.of("eu-west-1")).selectsAll())
                .isFalse();
    }

    @Test
    void cloudsEnvironmentsAndRegionsEachNarrowTheSelection() {
        assertThat(selected(ClusterSelector.ALL.withClouds(List.of("aws", "gcp"))))
                .hasSize(3);
        assertThat(selected(ClusterSelector.ALL.withEnvironments(List.of("prod"))))
                .containsExactly("prod-aws-1", "prod-gcp-1");
        assertThat(selected(ClusterSelector.ALL.withEnvironments(List.of("prod", "dev"))))
                .containsExactly("prod-aws-1", "prod-gcp-1", "dev-aws-1");
        assertThat(selected(ClusterSelector.ALL.withRegions(List.of("eu-west-1", "us-east-1"))))
                .containsExactly("prod-aws-1", "dev-aws-1");
        assertThat(selected(ClusterSelector.parse("team=payments")
                        .withClouds(List.of("aws"))
                        .withEnvironments(List.of("prod"))
                        .withRegions(List.of("us-east-1"))))
                .containsExactly("prod-aws-1");
        assertThat(selected(ClusterSelector.parse("team=payments")
                        .withClouds(List.of("aws"))
                        .withRegions(List.of("europe-west1"))))
                .isEmpty();
        assertThat(selected(ClusterSelector.ALL.withClouds(List.of("azure")))).isEmpty();
    }

    @Test
    void theEnvironmentSetReadsTheRegisteredEnvironmentNotAUsersLabel() {
        // A staging cluster a user labelled environment=prod is in environment staging; the label selects it.
        ClusterSnapshot relabelled =
                snapshot("stg-1", Cloud.AZURE, "westeurope", "staging", Map.of("environment", "prod"));

        assertThat(ClusterSelector.ALL.withEnvironments(List.of("staging")).matches(relabelled))
                .isTrue();
        assertThat(ClusterSelector.ALL.withEnvironments(List.of("prod")).matches(relabelled))
                .isFalse();
        assertThat(ClusterSelector.parse("environment=prod").matches(relabelled))
                .isTrue();
    }

    @Test
    void theSetsMeanInRequirementsOnTheWellKnownLabels() {
        ClusterSelector selector = ClusterSelector.parse("team=payments")
                .withClouds(List.of("gcp", "aws"))
                .withEnvironments(List.of("prod"))
                .withRegions(List.of("us-east-1"));

        assertThat(selector.asLabelSelector())
                .isEqualTo(new LabelSelector(
                        Map.of("team", "payments"),
                        List.of(
                                Requirement.in("meridian.io/cloud", "aws", "gcp"),
                                Requirement.in("meridian.io/environment", "prod"),
                                Requirement.in("meridian.io/region", "us-east-1"))));
        assertThat(selector.toString())
                .isEqualTo("team=payments,meridian.io/cloud in (aws,gcp),meridian.io/environment in (prod),"
                        + "meridian.io/region in (us-east-1)");
        // The string form selects the same clusters.
        for (ClusterSnapshot cluster : FLEET) {
            assertThat(ClusterSelector.parse(selector.toString()).matches(cluster))
                    .as(cluster.clusterId())
                    .isEqualTo(selector.matches(cluster));
        }
        assertThat(selected(selector)).containsExactly("prod-aws-1");
    }

    @Test
    void unreadableStringFormsAreRejected() {
        assertThatThrownBy(() -> ClusterSelector.parse("meridian.io/cloud in (aws"))
                .isInstanceOf(InvalidSelectorException.class)
                .hasMessageContaining("'meridian.io/cloud in (aws'");
    }

    @Test
    void recordsCopyTheirSets() {
        var clouds = new java.util.HashSet<>(Set.of("aws"));
        ClusterSelector selector = new ClusterSelector(null, clouds, null, null);
        clouds.add("gcp");

        assertThat(selector.clouds()).containsExactly("aws");
    }

    private static List<String> selected(ClusterSelector selector) {
        return FLEET.stream()
                .filter(selector::matches)
                .map(ClusterSnapshot::clusterId)
                .toList();
    }

    static ClusterSnapshot snapshot(
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
