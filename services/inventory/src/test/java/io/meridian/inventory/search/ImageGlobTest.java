package io.meridian.inventory.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageGlobTest {

    @ParameterizedTest(name = "{0} ~ {1}")
    @CsvSource(delimiter = '|', textBlock = """
            nginx:*                  | nginx:1.27                                   | true
            nginx:*                  | nginx:                                       | true
            nginx:*                  | docker.io/nginx:1.27                         | false
            *:latest                 | ghcr.io/team/app:latest                      | true
            *:latest                 | ghcr.io/team/app:latest-1                    | false
            *.dkr.ecr.*              | 1234.dkr.ecr.us-east-1.amazonaws.com/app:1   | true
            nginx:1.2?               | nginx:1.27                                   | true
            nginx:1.2?               | nginx:1.2                                    | false
            nginx:1.2?               | nginx:1.270                                  | false
            ?                        | a                                            | true
            *                        | anything/at:all                              | true
            **                       | x                                            | true
            a*b*c                    | abc                                          | true
            a*b*c                    | aXbYc                                        | true
            a*b*c                    | acb                                          | false
            *a*a*a*b                 | aaaaaaaaaab                                  | true
            *a*a*a*b                 | aaaaaaaaaaa                                  | false
            registry.example/ledger  | registry.example/ledger                      | true
            registry.example/ledger  | registry.example/ledger:1                    | false
            café:*                   | café:1                                       | true
            caf?:*                   | café:1                                       | true
            """)
    void matchesWholeReferences(String glob, String reference, boolean expected) {
        assertThat(ImageGlob.parse(glob).matches(reference)).isEqualTo(expected);
    }

    @Test
    void agreesWithTheRegularExpressionOfTheGlobOnRandomInput() {
        Random random = new Random(42);
        String alphabet = "ab*?";
        for (int i = 0; i < 20_000; i++) {
            String glob = random(random, alphabet, 1 + random.nextInt(8));
            String text = random(random, "ab", random.nextInt(10));
            Pattern regex = Pattern.compile(glob.replace("?", ".").replace("*", ".*"));
            assertThat(ImageGlob.parse(glob).matches(text))
                    .as("%s ~ %s", glob, text)
                    .isEqualTo(regex.matcher(text).matches());
        }
    }

    @Test
    void globsLongerThanOneWordOfStatesMatch() {
        String reference = "registry.example.com/" + "x".repeat(150) + ":1.0";
        assertThat(ImageGlob.parse(reference).matches(reference)).isTrue();
        assertThat(ImageGlob.parse("registry.example.com/" + "?".repeat(150) + ":*")
                        .matches(reference))
                .isTrue();
        assertThat(ImageGlob.parse("registry.example.com/" + "?".repeat(151) + ":*")
                        .matches(reference))
                .isFalse();
    }

    @Test
    void answersInLinearTimeWhereABacktrackingRegexWouldNot() {
        // The request that stalled inventory: 30 stars, no Z in any image. A backtracking regex of this
        // glob takes longer than the universe has left on a reference of this length.
        ImageGlob stars = ImageGlob.parse("*".repeat(30) + "Z");
        ImageGlob alternating = ImageGlob.parse("*a".repeat(255) + "b");
        String reference = "registry.example.com/platform/" + "a".repeat(4000) + ":1.2.3";
        long started = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            assertThat(stars.matches(reference)).isFalse();
            assertThat(alternating.matches(reference)).isFalse();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void refusesGlobsNoReferenceCouldMatchOrThatAreTooLong() {
        assertThatThrownBy(() -> ImageGlob.parse("")).hasMessageContaining("non-empty");
        assertThatThrownBy(() -> ImageGlob.parse("  ")).hasMessageContaining("non-empty");
        assertThatThrownBy(() -> ImageGlob.parse("a".repeat(ImageGlob.MAX_LENGTH + 1)))
                .hasMessageContaining("at most 512 characters");
        assertThatThrownBy(() -> ImageGlob.parse("nginx :1")).hasMessageContaining("whitespace");
        assertThat(ImageGlob.parse("*".repeat(ImageGlob.MAX_LENGTH)).matches("any"))
                .isTrue();
    }

    private static String random(Random random, String alphabet, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
