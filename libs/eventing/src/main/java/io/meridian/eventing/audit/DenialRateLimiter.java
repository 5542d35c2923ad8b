package io.meridian.eventing.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides which access denials of a caller are recorded: at most {@code limit} per caller in a minute that starts
 * with the caller's first denial; the others are suppressed and counted, and the caller's next recorded denial
 * carries how many were suppressed since its previous record. Thread-safe; one window record per caller.
 */
final class DenialRateLimiter {

    static final Duration WINDOW = Duration.ofMinutes(1);

    /** Whether to record this denial, and how many of the caller's denials went unrecorded before it. */
    record Admission(boolean record, long suppressedBefore) {}

    private record Window(Instant start, int recorded, long suppressed) {}

    private final int limit;
    private final int maxCallers;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    DenialRateLimiter(int limit, int maxCallers) {
        this.limit = Math.max(0, limit);
        this.maxCallers = Math.max(1, maxCallers);
    }

    Admission admit(String caller, Instant now) {
        if (limit == 0) {
            return new Admission(false, 0);
        }
        if (!windows.containsKey(caller) && windows.size() >= maxCallers) {
            windows.entrySet().removeIf(e -> expired(e.getValue(), now));
            if (windows.size() >= maxCallers) {
                return new Admission(false, 0);
            }
        }
        Admission[] decided = new Admission[1];
        windows.compute(caller, (key, window) -> {
            if (window == null || expired(window, now)) {
                long carried = window == null ? 0 : window.suppressed();
                decided[0] = new Admission(true, carried);
                return new Window(now, 1, 0);
            }
            if (window.recorded() < limit) {
                decided[0] = new Admission(true, window.suppressed());
                return new Window(window.start(), window.recorded() + 1, 0);
            }
            decided[0] = new Admission(false, 0);
            return new Window(window.start(), window.recorded(), window.suppressed() + 1);
        });
        return decided[0];
    }

    /** Callers tracked now, for tests. */
    int tracked() {
        return windows.size();
    }

    private static boolean expired(Window window, Instant now) {
        return !now.isBefore(window.start().plus(WINDOW));
    }
}
