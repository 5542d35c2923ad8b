package io.meridian.inventory.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelSelectorTest {

    private static final Map<String, String> PROD_AWS =
            Map.of("environment", "prod", "meridian.io/cloud", "aws", "team", "payments", "gpu", "");

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|true",
                "environment=prod|true",
                "environment==prod|true",
                "environment!=prod|false",
                "environment!=dev|true",
                "missing!=x|true",
                "team in (payments, checkout)|true",
                "team in (checkout)|false",
                "team notin (checkout)|true",
                "missing notin (x)|true",
                "gpu|true",
                "!gpu|false",
                "!spot|true",
                "environment=prod,meridian.io/cloud=aws|true",
                "environment=prod,meridian.io/cloud=gcp|false",
                "team in (a,payments),!spot,environment=prod|true"
            })
    void matchesLikeKubernetes(String selector, boolean expected) {
        assertThat(LabelSelector.parse(selector).matches(PROD_AWS)).isEqualTo(expected);
    }

    @Test
    void unreadableSelectorsNameTheClause() {
        assertThatThrownBy(() -> LabelSelector.parse("team in (a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parentheses");
        assertThatThrownBy(() -> LabelSelector.parse("Bad Key=x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Bad Key=x'");
        assertThatThrownBy(() -> LabelSelector.parse("a=b,,c=d"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty clause");
        assertThatThrownBy(() -> LabelSelector.parse("team=" + "x".repeat(64)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("63");
    }
}
