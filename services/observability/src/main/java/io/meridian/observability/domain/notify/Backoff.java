package io.meridian.observability.domain.notify;

import java.time.Duration;

/**
 * Exponential back-off between delivery attempts to one receiver: {@code initial}, doubled per failed attempt, at
 * most {@code max}. Kept per receiver, so a receiver that fails waits without delaying any other.
 */
public record Backoff(Duration initial, Duration max) {

    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("back-off needs 0 < initial <= max");
        }
    }

    /** The wait after the {@code failures}-th consecutive failure (1 for the first). */
    public Duration after(int failures) {
        if (failures <= 0) {
            return Duration.ZERO;
        }
        // Past 2^30 the shift overflows; the cap is reached long before.
        int shift = Math.min(failures - 1, 30);
        Duration d = initial.multipliedBy(1L << shift);
        return d.compareTo(max) > 0 || d.isNegative() ? max : d;
    }
}
