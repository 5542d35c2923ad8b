package io.meridian.contracts.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.contracts.EventJson;
import io.meridian.contracts.selector.LabelSelector.Operator;
import io.meridian.contracts.selector.LabelSelector.Requirement;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The Kubernetes label selector: string form as kubectl reads it, structured form as the API writes it. */
class LabelSelectorTest {

    private static final Map<String, String> PROD_AWS =
            Map.of("environment", "prod", "meridian.io/cloud", "aws", "team", "payments", "gpu", "");

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "environment=prod|true",
                "environment==prod|true",
                "environment=dev|false",
                "environment!=prod|false",
                "environment!=dev|true",
                "missing!=x|true",
                "missing=x|false",
                "gpu=|true",
                "team=|false",
                "team in (payments, checkout)|true",
                "team in (checkout)|false",
                "missing in (x)|false",
                "team notin (checkout)|true",
                "team notin (checkout,payments)|false",
                "missing notin (x)|true",
                "gpu|true",
                "spot|false",
                "!gpu|false",
                "!spot|true",
                "environment=prod,meridian.io/cloud=aws|true",
                "environment=prod,meridian.io/cloud=gcp|false",
                "team in (a,payments),!spot,environment=prod|true",
                "  team   in(payments)  ,  !  spot  |true",
                "environment=prod,environment=dev|false",
                "in in (x)|false",
                "team=in|false",
            })
    void matchesLikeKubernetes(String selector, boolean expected) {
        assertThat(LabelSelector.parse(selector).matches(PROD_AWS)).isEqualTo(expected);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t\n"})
    void aBlankSelectorSelectsEverything(String blank) {
        LabelSelector selector = LabelSelector.parse(blank);

        assertThat(selector).isEqualTo(LabelSelector.EVERYTHING);
        assertThat(selector.isEmpty()).isTrue();
        assertThat(selector.matches(Map.of())).isTrue();
        assertThat(selector.matches(PROD_AWS)).isTrue();
        assertThat(selector.matches(null)).isTrue();
        assertThat(new LabelSelector(null, null)).isEqualTo(LabelSelector.EVERYTHING);
    }

    @Test
    void theStringFormIsReadIntoTheStructuredForm() {
        assertThat(LabelSelector.parse("team in (a,b),!legacy,env=prod,tier!=db,has-key"))
                .isEqualTo(new LabelSelector(
                        Map.of("env", "prod"),
                        List.of(
                                Requirement.in("team", "a", "b"),
                                Requirement.doesNotExist("legacy"),
                                Requirement.notIn("tier", "db"),
                                Requirement.exists("has-key"))));
        // A second equality on the same key cannot live in matchLabels: it becomes an In that must hold too.
        assertThat(LabelSelector.parse("env=prod,env==dev"))
                .isEqualTo(new LabelSelector(Map.of("env", "prod"), List.of(Requirement.in("env", "dev"))));
        assertThat(LabelSelector.parse("team in (a,,b)")
                        .matchExpressions()
                        .getFirst()
                        .values())
                .containsExactly("", "a", "b");
        assertThat(LabelSelector.parse("team in (b,a,b)")
                        .matchExpressions()
                        .getFirst()
                        .values())
                .containsExactly("a", "b");
        assertThat(LabelSelector.parse("example.com/tier-1.x_y=A.b-c_9").matchLabels())
                .containsEntry("example.com/tier-1.x_y", "A.b-c_9");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "team in (a,b),!legacy,env=prod,tier!=db,has-key|env=prod,team in (a,b),!legacy,tier!=db,has-key",
                "b=2,a=1|a=1,b=2",
                "a==1|a=1",
                "team in (b, a)|team in (a,b)",
                "team notin (b,a)|team notin (a,b)",
                "x notin (y)|x!=y",
                "env=|env=",
                "a=1,a=2|a=1,a in (2)",
                "t in (,a)|t in (,a)",
                "'  !  legacy  '|!legacy",
            })
    void theStringFormRoundTrips(String input, String canonical) {
        LabelSelector parsed = LabelSelector.parse(input);

        assertThat(parsed.toString()).isEqualTo(canonical);
        assertThat(LabelSelector.parse(parsed.toString())).isEqualTo(parsed);
    }

    @Test
    void everyOperatorOfTheStructuredForm() {
        Map<String, String> labels = Map.of("tier", "web", "empty", "");

        assertThat(Requirement.in("tier", "web", "db").matches(labels)).isTrue();
        assertThat(Requirement.in("tier", "db").matches(labels)).isFalse();
        assertThat(Requirement.in("zone", "a").matches(labels)).isFalse();
        assertThat(Requirement.in("empty", "").matches(labels)).isTrue();
        assertThat(Requirement.notIn("tier", "db").matches(labels)).isTrue();
        assertThat(Requirement.notIn("tier", "web").matches(labels)).isFalse();
        assertThat(Requirement.notIn("zone", "a").matches(labels)).isTrue();
        assertThat(Requirement.exists("tier").matches(labels)).isTrue();
        assertThat(Requirement.exists("empty").matches(labels)).isTrue();
        assertThat(Requirement.exists("zone").matches(labels)).isFalse();
        assertThat(Requirement.doesNotExist("zone").matches(labels)).isTrue();
        assertThat(Requirement.doesNotExist("tier").matches(labels)).isFalse();
        // Unreadable requirements select nothing rather than everything.
        assertThat(new Requirement("tier", null, List.of("web")).matches(labels))
                .isFalse();
        assertThat(new Requirement(null, Operator.DOES_NOT_EXIST, null).matches(labels))
                .isFalse();

        LabelSelector both = new LabelSelector(Map.of("tier", "web"), List.of(Requirement.exists("empty")));
        assertThat(both.matches(labels)).isTrue();
        assertThat(both.matches(Map.of("tier", "web"))).isFalse();
        assertThat(both.matches(Map.of("empty", ""))).isFalse();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "team in (a|'team in (a': the values must be closed with ')'",
                "team in a|'team in a': values must be in parentheses after 'in'",
                "team in ()|'team in ()': the values in parentheses must not be empty",
                "team in (a b)|'team in (a b': expected ',' or ')' after a value, found 'b'",
                "team in (a,(b))|'team in (a,(': expected a value in parentheses, found '('",
                "Bad Key=x|'Bad Key': expected '=', '==', '!=', 'in' or 'notin' after the key 'Bad', found 'Key'",
                "team IN (a)|found 'IN'",
                "a=b,,c=d|label selector: empty requirement: ',' at position 4 of 'a=b,,c=d'",
                ",a=b|label selector: empty requirement: ',' at position 0",
                "a=b,|label selector: 'a=b,' must not end with ','",
                "a=b c|'a=b c': expected ',' before the next requirement, found 'c'",
                "!a=b|'!a=': expected ',' before the next requirement, found '='",
                "!|'!': expected a label key after '!', found the end of the selector",
                "a=(b)|'a=(': expected a value after '=', found '('",
                "replicas>3|'replicas>': the operator '>' is not supported",
                "replicas<3|the operator '<' is not supported",
                "=x|'=': expected a label key or '!', found '='",
                "bad_key_=x|'bad_key_': label key name must be at most 63 characters",
                "Example.com/x=y|'Example.com/x': label key prefix must be a DNS subdomain",
                "/x=y|label key prefix must be a DNS subdomain",
                "a/b/c=y|'a/b/c': label key name",
                "team=-x|'team=-x': label value must be at most 63 characters",
                "team in (ok,no!)|'team in (ok,no!': expected ',' or ')' after a value, found '!'",
            })
    void unreadableSelectorsNameTheRequirementAndWhy(String selector, String message) {
        assertThatThrownBy(() -> LabelSelector.parse(selector))
                .isInstanceOf(InvalidSelectorException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void keysAndValuesAreCheckedForLengthLikeKubernetes() {
        String name63 = "n".repeat(63);
        String prefix253 = ("p".repeat(63) + ".").repeat(3) + "p".repeat(61);
        assertThat(prefix253).hasSize(253);

        assertThat(LabelSelector.parse("team=" + name63).matchLabels()).containsEntry("team", name63);
        assertThat(LabelSelector.parse(prefix253 + "/" + name63).matchExpressions())
                .containsExactly(Requirement.exists(prefix253 + "/" + name63));
        assertThatThrownBy(() -> LabelSelector.parse("team=" + name63 + "x")).hasMessageContaining("63");
        assertThatThrownBy(() -> LabelSelector.parse(name63 + "x"))
                .hasMessageContaining("label key name must be at most 63");
        assertThatThrownBy(() -> LabelSelector.parse("p" + prefix253 + "/x")).hasMessageContaining("at most 253");
        // What is echoed back of a huge requirement is cut short.
        assertThatThrownBy(() -> LabelSelector.parse("team=" + "x".repeat(10_000)))
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
    }

    @Test
    void parsingTakesLinearTimeWhateverTheInput() {
        // 1 In, then k=v in matchLabels and 99,999 more In on k, then !z.
        String many = "a in (" + "x,".repeat(200_000) + "y)," + "k=v,".repeat(100_000) + "!z";
        String hostile = "a".repeat(62) + "-".repeat(500_000) + "!";
        String dots = "a.".repeat(300_000) + "/x";

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThat(LabelSelector.parse(many).matchExpressions()).hasSize(100_001);
            assertThatThrownBy(() -> LabelSelector.parse(hostile)).isInstanceOf(InvalidSelectorException.class);
            assertThatThrownBy(() -> LabelSelector.parse(dots)).isInstanceOf(InvalidSelectorException.class);
            assertThat(LabelSyntax.keyProblem(dots)).isNotNull();
        });
    }

    @Test
    void readsAndWritesTheKubernetesJsonShape() throws Exception {
        LabelSelector read = EventJson.mapper().readValue("""
                        {"matchLabels": {"tier": "gold"},
                         "matchExpressions": [{"key": "team", "operator": "In", "values": ["a", "b"]},
                                              {"key": "legacy", "operator": "DoesNotExist"}]}""", LabelSelector.class);

        assertThat(read)
                .isEqualTo(new LabelSelector(
                        Map.of("tier", "gold"),
                        List.of(Requirement.in("team", "a", "b"), Requirement.doesNotExist("legacy"))));
        JsonNode written = EventJson.mapper().readTree(new String(EventJson.write(read), StandardCharsets.UTF_8));
        assertThat(written.path("matchExpressions").path(0).path("operator").asText())
                .isEqualTo("In");
        assertThat(written.path("matchExpressions").path(1).path("values").isArray())
                .isTrue();
        assertThat(written.path("matchLabels").path("tier").asText()).isEqualTo("gold");
        assertThat(EventJson.mapper().readValue("{}", LabelSelector.class)).isEqualTo(LabelSelector.EVERYTHING);
    }

    @Test
    void structuralProblemsNameTheirField() throws Exception {
        LabelSelector invalid = EventJson.mapper().readValue("""
                        {"matchExpressions": [{"key": "a", "operator": "Equals", "values": ["x"]},
                                              {"operator": "In", "values": ["x"]},
                                              {"key": "b", "operator": "NotIn"},
                                              {"key": "c", "operator": "Exists", "values": ["x"]},
                                              {"key": "d", "operator": "DoesNotExist"}]}""", LabelSelector.class);

        assertThat(invalid.problems("spec.objectSelector"))
                .containsExactly(
                        new SelectorProblem(
                                "spec.objectSelector.matchExpressions[0].operator",
                                "must be one of In, NotIn, Exists, DoesNotExist"),
                        new SelectorProblem("spec.objectSelector.matchExpressions[1].key", "is required"),
                        new SelectorProblem(
                                "spec.objectSelector.matchExpressions[2].values", "must not be empty for NotIn"),
                        new SelectorProblem(
                                "spec.objectSelector.matchExpressions[3].values", "must be empty for Exists"));
        assertThat(LabelSelector.parse("team in (a,b),!legacy,env=prod,tier!=db,has-key")
                        .problems("x"))
                .isEmpty();
    }
}
