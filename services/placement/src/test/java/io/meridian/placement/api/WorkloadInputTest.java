package io.meridian.placement.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.selector.ClusterSelector;
import io.meridian.placement.domain.DivideBy;
import io.meridian.placement.domain.FailoverPolicy;
import io.meridian.placement.domain.FieldProblem;
import io.meridian.placement.domain.PlacementMode;
import io.meridian.placement.domain.Preference;
import io.meridian.placement.domain.RolloutStrategy;
import io.meridian.placement.domain.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The API's shape of a workload, read into the domain and shown back so that it reads to the same workload. */
class WorkloadInputTest {

    private static final String FULL = """
            {"name": "search", "namespace": "search",
             "manifests": [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "tuning"}}],
             "placement": {"clusterSelector": {"labelSelector": "tier in (gold,silver),!legacy",
                                               "clouds": ["gcp", "aws"], "environments": ["staging"]},
                           "mode": "divided", "replicas": 12, "divideBy": "Capacity",
                           "weights": [{"clusters": {"regions": ["eu-west-1"]}, "weight": 3}],
                           "clusters": {"min": 2, "max": 4}, "spread": [{"by": "cloud", "min": 2}],
                           "prefer": {"label": "tier", "order": ["gold", "silver"]}},
             "rollout": {"canary": 0, "maxInFlight": 2, "pause": "PT1M", "healthTimeout": "10m"},
             "failover": {"after": "45s", "maxFraction": 0.5, "failback": "Manual", "stableFor": "15m"},
             "overrides": [{"clusters": {"labelSelector": {"matchLabels": {"meridian.io/cloud": "gcp"}}},
                            "manifest": "ConfigMap/tuning", "mergePatch": {"data": {"shards": "24", "old": null}}}]}
            """;

    @Test
    void readsEveryFieldIntoTheDomain() throws Exception {
        List<FieldProblem> problems = new ArrayList<>();

        Workload w = WorkloadInput.JSON.readValue(FULL, WorkloadInput.class).toWorkload(problems);

        assertThat(problems).isEmpty();
        assertThat(w.placement().clusterSelector())
                .isEqualTo(ClusterSelector.parse("tier in (gold,silver),!legacy")
                        .withClouds(List.of("aws", "gcp"))
                        .withEnvironments(List.of("staging")));
        assertThat(w.placement().mode()).isEqualTo(PlacementMode.DIVIDED);
        assertThat(w.placement().replicas()).isEqualTo(12);
        assertThat(w.placement().divideBy()).isEqualTo(DivideBy.CAPACITY);
        assertThat(w.placement().weights().getFirst().clusters().regions()).isEqualTo(Set.of("eu-west-1"));
        assertThat(w.placement().clusters().max()).isEqualTo(4);
        assertThat(w.placement().prefer()).isEqualTo(new Preference.LabelOrder("tier", List.of("gold", "silver")));
        assertThat(w.rollout())
                .isEqualTo(new RolloutStrategy(
                        0, new RolloutStrategy.MaxInFlight(2, false), Duration.ofMinutes(1), Duration.ofMinutes(10)));
        assertThat(w.failover())
                .isEqualTo(new FailoverPolicy(
                        Duration.ofSeconds(45),
                        FailoverPolicy.DEFAULT.unhealthyAfter(),
                        0.5,
                        FailoverPolicy.Failback.MANUAL,
                        Duration.ofMinutes(15)));
        @SuppressWarnings("unchecked")
        var data = (java.util.Map<String, Object>)
                w.overrides().getFirst().mergePatch().get("data");
        assertThat(data).containsEntry("old", null).containsEntry("shards", "24");
    }

    @Test
    void whatItShowsReadsBackToTheSameWorkload() throws Exception {
        List<FieldProblem> problems = new ArrayList<>();
        Workload w = WorkloadInput.JSON.readValue(FULL, WorkloadInput.class).toWorkload(problems);

        String shown = WorkloadInput.JSON.writeValueAsString(WorkloadInput.of(w));
        Workload again =
                WorkloadInput.JSON.readValue(shown, WorkloadInput.class).toWorkload(problems);

        assertThat(problems).isEmpty();
        assertThat(again).isEqualTo(w);
        assertThat(shown).contains("\"mode\":\"Divided\"", "\"pause\":\"1m\"", "\"maxInFlight\":\"2\"");
    }

    @Test
    void defaultsAreLeftOutOfWhatItShows() throws Exception {
        Workload w = WorkloadInput.JSON
                .readValue("{\"name\": \"a\", \"namespace\": \"b\", \"manifests\": []}", WorkloadInput.class)
                .toWorkload(new ArrayList<>());

        assertThat(WorkloadInput.JSON.writeValueAsString(WorkloadInput.of(w)))
                .isEqualTo("{\"name\":\"a\",\"namespace\":\"b\",\"manifests\":[],\"placement\":{\"mode\":\"Duplicated\""
                        + ",\"prefer\":\"cheapest\"}}");
    }

    @Test
    void eachUnreadableValueIsAProblemNamingItsField() throws Exception {
        String bad = """
                {"name": "a", "namespace": "b",
                 "placement": {"clusterSelector": {"labelSelector": "tier in (gold"}, "mode": "Sideways",
                               "replicas": 3, "prefer": 7},
                 "rollout": {"maxInFlight": "lots", "pause": "soon"},
                 "failover": {"failback": "Sometimes"}}
                """;
        List<FieldProblem> problems = new ArrayList<>();

        WorkloadInput.JSON.readValue(bad, WorkloadInput.class).toWorkload(problems);

        assertThat(problems)
                .extracting(FieldProblem::field)
                .containsExactlyInAnyOrder(
                        "placement.mode",
                        "placement.replicas",
                        "placement.clusterSelector.labelSelector",
                        "placement.prefer",
                        "rollout.maxInFlight",
                        "rollout.pause",
                        "failover.failback");
    }
}
