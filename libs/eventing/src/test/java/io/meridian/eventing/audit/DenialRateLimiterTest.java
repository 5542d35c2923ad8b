package io.meridian.eventing.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.eventing.audit.DenialRateLimiter.Admission;
import io.meridian.eventing.audit.DenialRateLimiter.Admission.Recorded;
import io.meridian.eventing.audit.DenialRateLimiter.Admission.RecordedAsOtherCallers;
import io.meridian.eventing.audit.DenialRateLimiter.Admission.Suppressed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DenialRateLimiterTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void recordsAtMostTheLimitPerCallerAndMinute() {
        var limiter = new DenialRateLimiter(10, 100);
        int recorded = 0;
        for (int i = 0; i < 50; i++) {
            if (limiter.admit("vera", T0.plusMillis(i)) instanceof Recorded) {
                recorded++;
            }
        }
        assertThat(recorded).isEqualTo(10);
        assertThat(limiter.admit("olga", T0.plusSeconds(1)))
                .as("another caller has a budget of its own")
                .isEqualTo(new Recorded(0));
    }

    @Test
    void theNextRecordAfterTheMinuteCarriesHowManyWereSuppressed() {
        var limiter = new DenialRateLimiter(2, 100);
        for (int i = 0; i < 7; i++) {
            limiter.admit("vera", T0.plusSeconds(i));
        }
        assertThat(limiter.admit("vera", T0.plusSeconds(59))).isEqualTo(new Suppressed(false));

        var next = limiter.admit("vera", T0.plus(Duration.ofSeconds(60)));

        assertThat(next).isEqualTo(new Recorded(6));
        assertThat(limiter.admit("vera", T0.plusSeconds(61)))
                .as("counted once only")
                .isEqualTo(new Recorded(0));
    }

    @Test
    void callersBeyondTheMaximumShareOneRecordAMinuteThatCountsTheRest() {
        var limiter = new DenialRateLimiter(10, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.admit("10.0.0." + i, T0)).isEqualTo(new Recorded(0));
        }

        // An attacker rotating addresses: a thousand callers in the same minute.
        List<Admission> rotated = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            rotated.add(limiter.admit("203.0.113." + i, T0.plusSeconds(1).plusMillis(i)));
        }

        assertThat(limiter.tracked()).isEqualTo(3);
        assertThat(rotated.getFirst()).isEqualTo(new RecordedAsOtherCallers(0));
        assertThat(rotated.subList(1, rotated.size())).containsOnly(new Suppressed(true));
        assertThat(limiter.admit("10.0.0.1", T0.plusSeconds(2)))
                .as("a tracked caller keeps its own budget")
                .isEqualTo(new Recorded(0));
        assertThat(limiter.admit("203.0.113.5000", T0.plusSeconds(61)))
                .as("the first window is over: the new caller takes its place")
                .isEqualTo(new Recorded(0));
        assertThat(limiter.tracked()).isEqualTo(3);
        // The windows of 10.0.0.1 and 10.0.0.2 are over too, so two more places free up; the fourth waits.
        limiter.admit("a", T0.plusSeconds(62));
        limiter.admit("b", T0.plusSeconds(62));
        assertThat(limiter.admit("c", T0.plusSeconds(63)))
                .as("the other callers' next record counts the 999 denials that were not recorded")
                .isEqualTo(new RecordedAsOtherCallers(999));
    }

    @Test
    void aCallerEvictedWithSuppressedDenialsIsCountedInTheOtherCallersRecord() {
        var limiter = new DenialRateLimiter(1, 1);
        limiter.admit("vera", T0);
        limiter.admit("vera", T0.plusSeconds(1));
        limiter.admit("vera", T0.plusSeconds(2));
        assertThat(limiter.admit("olga", T0.plusSeconds(61))).isEqualTo(new Recorded(0));
        assertThat(limiter.admit("ivan", T0.plusSeconds(62)))
                .as("vera's 2 suppressed denials, whose record never came, travel with the aggregate")
                .isEqualTo(new RecordedAsOtherCallers(2));
    }

    @Test
    void aLimitOfZeroRecordsNothing() {
        assertThat(new DenialRateLimiter(0, 3).admit("vera", T0)).isEqualTo(new Suppressed(false));
    }
}
