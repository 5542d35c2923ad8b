package io.meridian.inventory.connect;

import java.time.Duration;

/**
 * The wait before the full relist of a cluster that lost its connection: none after a connection that lasted at least
 * {@code max}, else doubling from {@code base} up to {@code max}, so that a flapping cluster does not cost a relist of
 * every kind each time it answers again. Probing it is cheap and never waits for this.
 */
record RelistBackoff(Duration delay, Duration base, Duration max) {

    static RelistBackoff none(Duration base, Duration max) {
        return new RelistBackoff(Duration.ZERO, base, max);
    }

    /** The back-off after a connection that lasted {@code connectedFor} ended. */
    RelistBackoff afterConnectionLasted(Duration connectedFor) {
        if (connectedFor.compareTo(max) >= 0) {
            return none(base, max);
        }
        Duration doubled = delay.multipliedBy(2);
        Duration next = doubled.compareTo(base) < 0 ? base : doubled;
        return new RelistBackoff(next.compareTo(max) > 0 ? max : next, base, max);
    }
}
