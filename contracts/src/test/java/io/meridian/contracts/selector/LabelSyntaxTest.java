package io.meridian.contracts.selector;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Label keys and values as a Kubernetes API server accepts them. */
class LabelSyntaxTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "team",
                "a",
                "A",
                "9",
                "tier.level_1-x",
                "meridian.io/cloud",
                "app.kubernetes.io/managed-by",
                "x-1.example.com/Name_2",
                "1.2.3/x"
            })
    void validKeys(String key) {
        assertThat(LabelSyntax.keyProblem(key)).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "-team",
                "team-",
                "_team",
                "te am",
                "team!",
                "/team",
                "example.com/",
                "Example.com/team",
                "example..com/team",
                "-example.com/team",
                "example-.com/team",
                "example.com./team",
                "a/b/c",
                "ключ"
            })
    void invalidKeys(String key) {
        assertThat(LabelSyntax.keyProblem(key)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "prod", "Prod-1", "a", "1.2.3", "v1_2", "x-y.z_w"})
    void validValues(String value) {
        assertThat(LabelSyntax.valueProblem(value)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-prod", "prod.", "a b", "a/b", "a=b", "é"})
    void invalidValues(String value) {
        assertThat(LabelSyntax.valueProblem(value)).isNotNull();
    }

    @org.junit.jupiter.api.Test
    void lengthsAreKubernetesLengths() {
        assertThat(LabelSyntax.valueProblem("v".repeat(63))).isNull();
        assertThat(LabelSyntax.valueProblem("v".repeat(64))).contains("63");
        assertThat(LabelSyntax.keyProblem("k".repeat(63))).isNull();
        assertThat(LabelSyntax.keyProblem("k".repeat(64))).contains("63");
        String prefix = "p".repeat(63) + "." + "p".repeat(63) + "." + "p".repeat(63) + "." + "p".repeat(61);
        assertThat(LabelSyntax.keyProblem(prefix + "/k")).isNull();
        assertThat(LabelSyntax.keyProblem("p" + prefix + "/k")).contains("253");
        assertThat(LabelSyntax.valueProblem(null)).isNotNull();
        assertThat(LabelSyntax.keyProblem(null)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"web", "a", "9", "shop-1", "a-b-c"})
    void dnsLabels(String name) {
        assertThat(LabelSyntax.isDnsLabel(name)).isTrue();
        assertThat(LabelSyntax.isDnsSubdomain(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Web", "-web", "web-", "we_b", "a.b", "é"})
    void notDnsLabels(String name) {
        assertThat(LabelSyntax.isDnsLabel(name)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "a.", ".a", "a..b", "A.b", "a_b.c", "-a.b"})
    void notDnsSubdomains(String name) {
        assertThat(LabelSyntax.isDnsSubdomain(name)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void dnsNamesHaveKubernetesLengths() {
        assertThat(LabelSyntax.isDnsLabel("a".repeat(63))).isTrue();
        assertThat(LabelSyntax.isDnsLabel("a".repeat(64))).isFalse();
        assertThat(LabelSyntax.isDnsLabel(null)).isFalse();
        assertThat(LabelSyntax.isDnsSubdomain("web.shop.example")).isTrue();
        String longest = "p".repeat(63) + "." + "p".repeat(63) + "." + "p".repeat(63) + "." + "p".repeat(61);
        assertThat(LabelSyntax.isDnsSubdomain(longest)).isTrue();
        assertThat(LabelSyntax.isDnsSubdomain("p" + longest)).isFalse();
        assertThat(LabelSyntax.isDnsSubdomain(null)).isFalse();
    }
}
