package io.meridian.placement.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Durations in both forms people write, and the short form they are shown in. */
class DurationTextTest {

    @ParameterizedTest
    @CsvSource({
        "30s, PT30S, 30s",
        "5m, PT5M, 5m",
        "1h30m, PT1H30M, 1h30m",
        "500ms, PT0.5S, 500ms",
        "0s, PT0S, 0s",
        "90s, PT1M30S, 1m30s",
        "PT30S, PT30S, 30s",
        "pt5m, PT5M, 5m",
        "P1D, PT24H, 24h",
        "P1DT2H, PT26H, 26h",
        "PT0.25S, PT0.25S, 250ms",
        "' 45s ', PT45S, 45s",
    })
    void readsAndWrites(String text, String iso, String shortForm) {
        Duration parsed = DurationText.parse(text);

        assertThat(parsed).isEqualTo(Duration.parse(iso));
        assertThat(DurationText.format(parsed)).isEqualTo(shortForm);
        assertThat(DurationText.parse(DurationText.format(parsed))).isEqualTo(parsed);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "30",
                "s",
                "5x",
                "1h-",
                "-5s",
                "P",
                "PT",
                "P1H",
                "PT1S5M",
                "PT5M5M",
                "PT1.5M",
                "1.5h",
                "9999999999s",
                "1h 30m",
                "5m30sx",
                "P1DT",
                "12345678901234567890123456789012345678901s"
            })
    void refusesWhatIsNoDuration(String text) {
        assertThat(DurationText.parse(text)).isNull();
    }
}
