package io.meridian.cost.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeWindowTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:20:00Z");

    @Test
    void relativeWindowsEndWithTheCurrentHour() {
        assertThat(TimeWindow.parse("6h", NOW))
                .contains(new TimeWindow(Instant.parse("2026-11-25T05:00:00Z"), Instant.parse("2026-11-25T11:00:00Z")));
        assertThat(TimeWindow.parse("today", NOW))
                .contains(new TimeWindow(Instant.parse("2026-11-25T00:00:00Z"), Instant.parse("2026-11-25T11:00:00Z")));
        assertThat(TimeWindow.parse("yesterday", NOW))
                .contains(new TimeWindow(Instant.parse("2026-11-24T00:00:00Z"), Instant.parse("2026-11-25T00:00:00Z")));
        assertThat(TimeWindow.parse("month", NOW).orElseThrow().start())
                .isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    }

    @Test
    void explicitWindowsAreWidenedToWholeHoursAndEndNoLaterThanNow() {
        assertThat(TimeWindow.parse("2026-11-25T08:30:00Z,2026-11-25T09:10:00Z", NOW))
                .contains(new TimeWindow(Instant.parse("2026-11-25T08:00:00Z"), Instant.parse("2026-11-25T10:00:00Z")));
        assertThat(TimeWindow.parse("2026-11-25T08:00:00Z,2026-12-25T00:00:00Z", NOW)
                        .orElseThrow()
                        .end())
                .isEqualTo(Instant.parse("2026-11-25T11:00:00Z"));
    }

    @Test
    void nonsenseIsNotAWindow() {
        assertThat(TimeWindow.parse("last-tuesday", NOW)).isEmpty();
        assertThat(TimeWindow.parse("0h", NOW)).isEmpty();
        assertThat(TimeWindow.parse("1000d", NOW)).isEmpty();
        assertThat(TimeWindow.parse("2026-11-25T10:00:00Z,2026-11-25T09:00:00Z", NOW))
                .isEmpty();
        assertThat(TimeWindow.parse(null, NOW)).isEmpty();
    }
}
