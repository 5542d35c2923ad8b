package io.meridian.cost.domain;

import java.util.Arrays;

/** The samples of one gauge series within one window: count, mean, max and percentiles. Not thread-safe. */
public final class SeriesStats {

    private double[] values = new double[16];
    private int count;
    private double sum;
    private double max = Double.NEGATIVE_INFINITY;

    public void add(double value) {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = value;
        sum += value;
        max = Math.max(max, value);
    }

    /** Adds every sample of another series, e.g. to span several hours. */
    public void addAll(SeriesStats other) {
        for (int i = 0; i < other.count; i++) {
            add(other.values[i]);
        }
    }

    public int count() {
        return count;
    }

    /** The mean; {@code NaN} without samples. */
    public double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }

    public double max() {
        return count == 0 ? Double.NaN : max;
    }

    /** The nearest-rank percentile ({@code p} in 0..100); {@code NaN} without samples. */
    public double percentile(double p) {
        if (count == 0) {
            return Double.NaN;
        }
        double[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * count);
        return sorted[Math.max(0, Math.min(count - 1, rank - 1))];
    }
}
