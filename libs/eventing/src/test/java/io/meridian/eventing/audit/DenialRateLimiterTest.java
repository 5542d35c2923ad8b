package io.meridian.eventing.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DenialRateLimiterTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void recordsAtMostTheLimitPerCallerAndMinute() {
        var limiter = new DenialRateLimiter(10, 100);
        int recorded = 0;
        for (int i = 0; i < 50; i++) {
            if (limiter.admit("vera", T0.plusMillis(i)).record()) {
                recorded++;
            }
        }
        assertThat(recorded).isEqualTo(10);
        assertThat(limiter.admit("olga", T0.plusSeconds(1)).record())
                .as("another caller has a budget of its own")
                .isTrue();
    }

    @Test
    void theNextRecordAfterTheMinuteCarriesHowManyWereSuppressed() {
        var limiter = new DenialRateLimiter(2, 100);
        for (int i = 0; i < 7; i++) {
            limiter.admit("vera", T0.plusSeconds(i));
        }
        assertThat(limiter.admit("vera", T0.plusSeconds(59)).record()).isFalse();

        var next = limiter.admit("vera", T0.plus(Duration.ofSeconds(60)));

        assertThat(next).isEqualTo(new DenialRateLimiter.Admission(true, 6));
        assertThat(limiter.admit("vera", T0.plusSeconds(61)))
                .as("counted once only")
                .isEqualTo(new DenialRateLimiter.Admission(true, 0));
    }

    @Test
    void neverTracksMoreCallersThanAllowed() {
        var limiter = new DenialRateLimiter(10, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.admit("10.0.0." + i, T0).record()).isTrue();
        }
        assertThat(limiter.admit("10.0.0.9", T0.plusSeconds(1)).record()).isFalse();
        assertThat(limiter.tracked()).isEqualTo(3);
        assertThat(limiter.admit("10.0.0.9", T0.plusSeconds(61)).record())
                .as("expired windows make room")
                .isTrue();
    }

    @Test
    void aLimitOfZeroRecordsNothing() {
        assertThat(new DenialRateLimiter(0, 3).admit("vera", T0).record()).isFalse();
    }
}
