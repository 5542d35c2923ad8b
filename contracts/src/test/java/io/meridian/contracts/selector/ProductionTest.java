package io.meridian.contracts.selector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A selector stays off production only when it rules out prod for both the registered environment and the label. */
class ProductionTest {

    @ParameterizedTest(name = "[{0}] environments={1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "''|''|true",
                "meridian.io/cloud=aws|''|true",
                "meridian.io/cluster=dev-aws-1|''|true",
                // The registered environment alone: a staging cluster labelled environment=prod is prod too.
                "''|staging|true",
                "environment=staging|''|true",
                "''|prod|true",
                "environment!=prod|staging,dev|false",
                "environment=staging,meridian.io/environment=staging|''|false",
                "environment in (dev,staging),meridian.io/environment notin (prod)|''|false",
                "environment in (dev,prod)|staging|true",
                "!environment,!meridian.io/environment|''|false",
                "environment,meridian.io/environment notin (prod)|''|true",
            })
    void decidesFromTheSelectorAlone(String labelSelector, String environments, boolean reachesProd) {
        ClusterSelector selector = ClusterSelector.parse(labelSelector)
                .withEnvironments(environments.isEmpty() ? List.of() : List.of(environments.split(",")));

        assertThat(Production.reachableBy(selector)).isEqualTo(reachesProd);
    }

    @ParameterizedTest(name = "environment={0} labels={1} -> {2}, selectable {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "prod|''|true|true",
                "staging|''|false|false",
                "staging|environment=prod|true|true",
                "''|meridian.io/environment=prod|true|true",
                // The registry guard is stricter: selectors see the registered environment, not such a label.
                "staging|meridian.io/environment=prod|true|false",
                "''|environment=production|false|false",
                "dev|team=prod|false|false",
            })
    void aClusterIsProdByItsEnvironmentOrEitherLabel(
            String environment, String labels, boolean prod, boolean selectablyProd) {
        java.util.Map<String, String> map = new java.util.HashMap<>();
        if (!labels.isEmpty()) {
            String[] kv = labels.split("=", 2);
            map.put(kv[0], kv[1]);
        }
        assertThat(Production.isProd(environment.isEmpty() ? null : environment, map))
                .isEqualTo(prod);
        assertThat(Production.isProd(
                        SelectableLabels.of("c", "aws", "eu-west-1", environment.isEmpty() ? null : environment, map)))
                .isEqualTo(selectablyProd);
    }
}
