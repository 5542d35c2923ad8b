package io.meridian.eventing.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides which access denials are recorded: at most {@code limit} per caller in a minute that starts with the
 * caller's first denial; the others are suppressed and counted, and the caller's next recorded denial carries how
 * many were suppressed since its previous record.
 *
 * <p>At most {@code maxCallers} callers are tracked, so that requests from ever new tokens or addresses cannot grow
 * memory without bound. A new caller takes the place of the oldest window once that window is over; while every
 * tracked window is still running, the new caller's denial goes to one shared bucket, "other callers", which is
 * recorded at most once a minute and carries how many such denials went unrecorded since its previous record, so an
 * attacker rotating identities costs one record a minute and nothing is lost uncounted. Thread-safe.
 */
final class DenialRateLimiter {

    static final Duration WINDOW = Duration.ofMinutes(1);

    /** What to do with one denial. */
    sealed interface Admission {

        /** Record it as the caller's; {@code suppressedBefore} of the caller's denials went unrecorded before it. */
        record Recorded(long suppressedBefore) implements Admission {}

        /**
         * Record it as one of the "other callers" that are not tracked (the tracked callers are at the maximum);
         * {@code unrecordedBefore} of their denials went unrecorded before it.
         */
        record RecordedAsOtherCallers(long unrecordedBefore) implements Admission {}

        /** Count it only; {@code overflow} when its caller could not be tracked. */
        record Suppressed(boolean overflow) implements Admission {}
    }

    /** One caller's current minute, or the other callers' when {@code recorded} counts their aggregated records. */
    private record Window(Instant start, int recorded, long suppressed) {}

    private final int limit;
    private final int maxCallers;
    // In order of window start: a window that starts anew moves to the end, so the first one is the oldest.
    private final LinkedHashMap<String, Window> windows = new LinkedHashMap<>();
    private Window others;

    DenialRateLimiter(int limit, int maxCallers) {
        this.limit = Math.max(0, limit);
        this.maxCallers = Math.max(1, maxCallers);
    }

    synchronized Admission admit(String caller, Instant now) {
        if (limit == 0) {
            return new Admission.Suppressed(false);
        }
        Window window = windows.get(caller);
        if (window == null || expired(window, now)) {
            if (window == null && !makeRoom(now)) {
                return overflow(now);
            }
            long carried = window == null ? 0 : window.suppressed();
            windows.remove(caller);
            windows.put(caller, new Window(now, 1, 0));
            return new Admission.Recorded(carried);
        }
        if (window.recorded() < limit) {
            windows.put(caller, new Window(window.start(), window.recorded() + 1, 0));
            return new Admission.Recorded(window.suppressed());
        }
        windows.put(caller, new Window(window.start(), window.recorded(), window.suppressed() + 1));
        return new Admission.Suppressed(false);
    }

    /**
     * Frees a place for a new caller by dropping windows that are over, oldest first; their unreported suppressed
     * counts move to the other callers' bucket, so the next aggregated record still counts them.
     */
    private boolean makeRoom(Instant now) {
        Iterator<Map.Entry<String, Window>> oldestFirst = windows.entrySet().iterator();
        while (windows.size() >= maxCallers && oldestFirst.hasNext()) {
            Window oldest = oldestFirst.next().getValue();
            if (!expired(oldest, now)) {
                return false; // every later window started later still
            }
            oldestFirst.remove();
            if (oldest.suppressed() > 0) {
                Window bucket = others == null ? new Window(Instant.MIN, 0, 0) : others;
                others = new Window(bucket.start(), bucket.recorded(), bucket.suppressed() + oldest.suppressed());
            }
        }
        return windows.size() < maxCallers;
    }

    private Admission overflow(Instant now) {
        if (others == null || expired(others, now)) {
            long carried = others == null ? 0 : others.suppressed();
            others = new Window(now, 1, 0);
            return new Admission.RecordedAsOtherCallers(carried);
        }
        others = new Window(others.start(), others.recorded(), others.suppressed() + 1);
        return new Admission.Suppressed(true);
    }

    /** Callers tracked now, for tests. */
    synchronized int tracked() {
        return windows.size();
    }

    private static boolean expired(Window window, Instant now) {
        return window.start().equals(Instant.MIN)
                || !now.isBefore(window.start().plus(WINDOW));
    }
}
