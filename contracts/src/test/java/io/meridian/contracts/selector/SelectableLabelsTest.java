package io.meridian.contracts.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.contracts.cluster.Cloud;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one definition of the labels a selector sees on a cluster. */
class SelectableLabelsTest {

    @Test
    void theClustersLabelsPlusTheWellKnownFacts() {
        SelectableLabels labels = SelectableLabels.of(
                ClusterSelectorTest.snapshot("prod-aws-1", Cloud.AWS, "us-east-1", "prod", Map.of("team", "payments")));

        assertThat(labels.asMap())
                .containsExactly(
                        Map.entry("environment", "prod"),
                        Map.entry("meridian.io/cloud", "aws"),
                        Map.entry("meridian.io/cluster", "prod-aws-1"),
                        Map.entry("meridian.io/environment", "prod"),
                        Map.entry("meridian.io/region", "us-east-1"),
                        Map.entry("team", "payments"));
        assertThat(labels.get(SelectableLabels.CLOUD)).isEqualTo("aws");
        assertThat(labels.get("absent")).isNull();
    }

    @Test
    void theFactsWinOverAUsersLabelButAUsersEnvironmentLabelStays() {
        SelectableLabels labels = SelectableLabels.of(
                "stg-1",
                "azure",
                "westeurope",
                "staging",
                Map.of(
                        "meridian.io/cloud", "aws",
                        "meridian.io/cluster", "other",
                        "meridian.io/region", "mars",
                        "meridian.io/environment", "prod",
                        "environment", "prod"));

        assertThat(labels.asMap())
                .containsEntry("meridian.io/cloud", "azure")
                .containsEntry("meridian.io/cluster", "stg-1")
                .containsEntry("meridian.io/region", "westeurope")
                .containsEntry("meridian.io/environment", "staging")
                .containsEntry("environment", "prod");
    }

    @Test
    void missingFactsAddNoLabel() {
        Map<String, String> withNull = new HashMap<>();
        withNull.put("team", null);
        withNull.put("meridian.io/region", "user-set");

        SelectableLabels labels = SelectableLabels.of("c1", null, null, "", withNull);

        assertThat(labels.asMap())
                .containsExactly(Map.entry("meridian.io/cluster", "c1"), Map.entry("meridian.io/region", "user-set"));
        assertThat(SelectableLabels.of(ClusterSelectorTest.snapshot("bare", null, null, null, null))
                        .asMap())
                .containsOnlyKeys("meridian.io/cluster");
    }

    @Test
    void aValueNobodyCanChangeBehindTheSelectorsBack() {
        Map<String, String> mine = new HashMap<>(Map.of("team", "a"));
        SelectableLabels labels = SelectableLabels.of("c1", "aws", null, null, mine);
        mine.put("team", "b");

        assertThat(labels.get("team")).isEqualTo("a");
        assertThatThrownBy(() -> labels.asMap().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(labels).isEqualTo(SelectableLabels.of("c1", "aws", null, null, Map.of("team", "a")));
        assertThat(labels).isNotEqualTo(SelectableLabels.of("c1", "gcp", null, null, Map.of("team", "a")));
        assertThat(labels.hashCode())
                .isEqualTo(SelectableLabels.of("c1", "aws", null, null, Map.of("team", "a"))
                        .hashCode());
    }
}
