package io.meridian.observability.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.observability.domain.LabelMatcher.Op;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelMatcherTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @ParameterizedTest(name = "{0} {1} {2} on {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            cluster | =  | c1            | c1         | true
            cluster | =  | c1            | c10        | false
            cluster | != | c1            | c2         | true
            cluster | =~ | "c1|c3"       | c3         | true
            cluster | =~ | "c1|c3"       | c30        | false
            cluster | =~ | "c1|c3"       | xc1        | false
            cluster | =~ | aws-.*        | aws-prod-1 | true
            cluster | =~ | prod          | aws-prod-1 | false
            cluster | !~ | aws-.*        | gcp-1      | true
            cluster | !~ | aws-.*        | aws-1      | false
            cluster | =~ | "a)|(b"       | ab         | false
            cluster | =~ | "a)|(b"       | a          | true
            cluster | =~ | \\d+        | 42         | true
            cluster | =~ | [[:alpha:]]+  | abc        | true
            """)
    void regularExpressionsAreRe2AndMatchTheWholeValue(
            String label, String op, String value, String actual, boolean expected) {
        LabelMatcher matcher = LabelMatcher.of(label, Op.of(op).orElseThrow(), value);
        assertThat(matcher.matches(Map.of(label, actual))).isEqualTo(expected);
    }

    @Test
    void dotMatchesANewlineAsInPrometheus() {
        assertThat(LabelMatcher.of("msg", Op.RE, "a.*b").matches(Map.of("msg", "a\nb")))
                .isTrue();
    }

    @Test
    void aMissingLabelMatchesAsTheEmptyString() {
        assertThat(LabelMatcher.of("team", Op.RE, ".*").matches(Map.of())).isTrue();
        assertThat(LabelMatcher.of("team", Op.RE, ".+").matches(Map.of())).isFalse();
        assertThat(LabelMatcher.of("team", Op.NRE, "").matches(Map.of())).isFalse();
    }

    @Test
    void javaOnlyConstructsAreRefusedAsRe2RefusesThem() {
        for (String javaOnly : List.of("(a)\\1", "a(?=b)", "a(?!b)", "(?<=a)b", "a*+", "\\p{Alpha}")) {
            assertThatThrownBy(() -> LabelMatcher.of("cluster", Op.RE, javaOnly))
                    .as(javaOnly)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("invalid regular expression");
        }
    }

    @Test
    void aStoredMatcherRe2RefusesMatchesNothingInsteadOfFailingTheRead() {
        LabelMatcher stored = LabelMatcher.restore("cluster", Op.RE, "(a)\\1");
        assertThat(stored.matches(Map.of("cluster", "aa"))).isFalse();
        assertThat(LabelMatcher.restore("cluster", Op.NRE, "(a)\\1").matches(Map.of("cluster", "b")))
                .isFalse();
        assertThat(LabelMatcher.restore("cluster", Op.RE, "c1|c2").matches(Map.of("cluster", "c2")))
                .isTrue();
    }

    @Test
    void aCatastrophicPatternAgainstALongLabelValueAnswersAtOnce() {
        // (a+)+$ backtracks exponentially in java.util.regex on "aaa...!"; RE2 is linear in the value.
        Silence silence = new Silence(
                "s-redos",
                List.of(LabelMatcher.of("pod", Op.RE, "(a+)+$"), LabelMatcher.of("ns", Op.NRE, "(x+x+)+y")),
                T0,
                T0.plusSeconds(3600),
                "olga",
                "redos",
                T0);
        String longValue = "a".repeat(100_000) + "!";
        long started = System.nanoTime();
        assertThat(silence.mutes(Map.of("pod", longValue, "ns", "x".repeat(100_000)), T0))
                .isFalse();
        assertThat(silence.mutes(Map.of("pod", "a".repeat(100_000), "ns", "x".repeat(100_000)), T0))
                .isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }
}
