package io.meridian.fleetsim;

/**
 * Bytes one workload sends to a workload in another cluster, as a monotonic counter whose rate swings around the
 * configured bytes per second. The counter is the exact integral of the rate, so changing the rate never makes it
 * go backwards.
 */
public final class TrafficFlow {

    private static final double SWING = 0.3;

    private final Endpoint from;
    private final Endpoint to;
    private final double omega;
    private final double phase;
    private double bytesPerSecond;
    private double total;
    private double lastSecond;

    TrafficFlow(Endpoint from, Endpoint to, double bytesPerSecond, long seed, double startSecond) {
        this.from = from;
        this.to = to;
        long h = SplitMix.hash(seed, from + ">" + to);
        this.omega = 2 * Math.PI / (120 + SplitMix.unit(h) * 1800);
        this.phase = 2 * Math.PI * SplitMix.unit(h + 1);
        this.bytesPerSecond = bytesPerSecond;
        // Proxies have been up for a while: counters start from hours of history.
        this.total = bytesPerSecond * (3600 + SplitMix.unit(h + 2) * 86_400);
        this.lastSecond = startSecond;
    }

    public Endpoint from() {
        return from;
    }

    public Endpoint to() {
        return to;
    }

    public synchronized double bytesPerSecond() {
        return bytesPerSecond;
    }

    /** The counter value at {@code second} (seconds since the fleet started). */
    synchronized long totalAt(double second) {
        advance(second);
        return (long) total;
    }

    synchronized void rate(double newBytesPerSecond, double second) {
        advance(second);
        bytesPerSecond = newBytesPerSecond;
    }

    private void advance(double second) {
        if (second <= lastSecond) {
            return;
        }
        double a = lastSecond;
        double b = second;
        total += bytesPerSecond * (b - a)
                - bytesPerSecond * SWING / omega * (Math.cos(omega * b + phase) - Math.cos(omega * a + phase));
        lastSecond = second;
    }
}
