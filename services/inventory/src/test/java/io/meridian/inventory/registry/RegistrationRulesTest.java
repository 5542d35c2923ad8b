package io.meridian.inventory.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.cluster.Cloud;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistrationRulesTest {

    private static ClusterSpec spec(String name, Map<String, String> labels, String url) {
        return new ClusterSpec(name, "Prod", Cloud.AWS, "us-east-1", "prod", labels, url, null);
    }

    @Test
    void aGoodRegistrationHasNoProblems() {
        assertThat(RegistrationRules.check(
                        spec("aws-prod-1", Map.of("team", "payments"), "https://api.example:6443"), true))
                .isEmpty();
    }

    @Test
    void everyProblemNamesItsField() {
        Map<String, String> labels = new HashMap<>();
        labels.put("Bad Key", "v");
        labels.put("team", "not a valid value!");
        var problems = RegistrationRules.check(
                new ClusterSpec("Prod_1", "x".repeat(200), Cloud.GCP, "EU West", "Prod", labels, "ftp://x", "nope"),
                true);
        assertThat(problems)
                .extracting(FieldProblem::field)
                .contains(
                        "name",
                        "displayName",
                        "region",
                        "environment",
                        "labels[Bad Key]",
                        "labels[team]",
                        "apiServerUrl",
                        "metricsUrl");
    }

    @Test
    void tooManyLabelsAndTooLongNamesAreRefused() {
        Map<String, String> labels = new HashMap<>();
        for (int i = 0; i <= LabelRules.MAX_LABELS; i++) {
            labels.put("k" + i, "v");
        }
        assertThat(RegistrationRules.check(spec("a", labels, "https://x"), true))
                .extracting(FieldProblem::field)
                .containsExactly("labels");
        assertThat(RegistrationRules.check(spec("a".repeat(64), Map.of(), "https://x"), true))
                .extracting(FieldProblem::message)
                .containsExactly("must be at most 63 characters");
    }

    @Test
    void selectableLabelsAddTheWellKnownFacts() {
        assertThat(spec("aws-prod-1", Map.of("team", "payments"), "https://x")
                        .selectableLabels()
                        .asMap())
                .containsEntry("team", "payments")
                .containsEntry("meridian.io/cloud", "aws")
                .containsEntry("meridian.io/region", "us-east-1")
                .containsEntry("environment", "prod")
                .containsEntry("meridian.io/cluster", "aws-prod-1");
    }
}
