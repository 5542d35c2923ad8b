package io.meridian.fleetsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FleetLayoutTest {

    @Test
    void twelveClustersSpreadFourThreeThreeTwoOverTheClouds() {
        List<ClusterProfile> fleet = FleetLayout.plan(12, 42);

        Map<Cloud, Long> perCloud =
                fleet.stream().collect(Collectors.groupingBy(ClusterProfile::cloud, Collectors.counting()));
        assertThat(perCloud)
                .containsEntry(Cloud.AWS, 4L)
                .containsEntry(Cloud.AZURE, 3L)
                .containsEntry(Cloud.GCP, 3L)
                .containsEntry(Cloud.ONPREM, 2L);
        assertThat(fleet).extracting(ClusterProfile::name).doesNotHaveDuplicates();
        assertThat(fleet)
                .extracting(ClusterProfile::name)
                .contains("aws-prod-use1-1", "azure-prod-weu-1", "gcp-prod-euw1-1", "onprem-dc1-1")
                .allMatch(
                        n -> n.matches("(aws|azure|gcp)-(prod|staging|dev)-[a-z0-9]+-\\d+|onprem-dc\\d-\\d+"), "name");
    }

    @Test
    void theSameSeedGivesTheSameFleetAndAnotherSeedAnotherOne() {
        assertThat(FleetLayout.plan(12, 42)).isEqualTo(FleetLayout.plan(12, 42));
        assertThat(FleetLayout.plan(12, 43)).isNotEqualTo(FleetLayout.plan(12, 42));
    }

    @Test
    void labelsAndEnvironmentsAreValidForInventory() {
        for (ClusterProfile p : FleetLayout.plan(100, 7)) {
            assertThat(p.environment()).isIn("prod", "staging", "dev");
            assertThat(p.labels()).containsKeys("team", "tier");
            assertThat(p.labels().get("team")).isIn(FleetLayout.TEAMS);
            assertThat(p.region().name())
                    .isIn(p.cloud().regions().stream().map(Cloud.Region::name).toList());
        }
        assertThat(FleetLayout.plan(100, 7))
                .anyMatch(p -> "true".equals(p.labels().get("portable")));
    }

    @Test
    void anAddedClusterGetsTheNextFreeName() {
        List<String> taken = List.of("gcp-prod-euw1-1", "gcp-prod-euw1-2");
        ClusterProfile next = FleetLayout.next(Cloud.GCP, "prod", "europe-west1", taken, 42);
        assertThat(next.name()).isEqualTo("gcp-prod-euw1-3");
        assertThat(next.region().name()).isEqualTo("europe-west1");
    }
}
