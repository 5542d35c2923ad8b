package io.meridian.placement.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.contracts.selector.ClusterSelector;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A selector stays off production only when it rules out prod for both the registered environment and the label. */
class ProdReachTest {

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

        assertThat(ProdReach.canReachProd(selector)).isEqualTo(reachesProd);
    }
}
