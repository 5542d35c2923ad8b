package io.meridian.placement.domain;

import java.util.function.LongBinaryOperator;

/**
 * An amount of CPU (millicores), memory (bytes) and GPUs: allocatable, requested, or free. Arithmetic never wraps
 * around: an amount beyond a {@code long} is an {@link IllegalArgumentException}, since a wrapped negative demand
 * would "fit" anywhere (the API validates a workload's demand with {@link WorkloadDemand#of} and answers 400).
 */
public record Resources(long cpuMillis, long memoryBytes, long gpus) {

    public static final Resources NONE = new Resources(0, 0, 0);

    public Resources plus(Resources o) {
        return combine(o, Math::addExact, " + ");
    }

    public Resources minus(Resources o) {
        return combine(o, Math::subtractExact, " - ");
    }

    public Resources times(long n) {
        try {
            return new Resources(
                    Math.multiplyExact(cpuMillis, n), Math.multiplyExact(memoryBytes, n), Math.multiplyExact(gpus, n));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    "resource amounts out of range: " + this + " times " + n + " exceeds what can be counted", e);
        }
    }

    /** {@code amount} with every figure clamped to {@code [0, bound]}: for figures read from a cluster. */
    public static Resources bounded(Resources amount, long bound) {
        return new Resources(
                Math.clamp(amount.cpuMillis, 0, bound),
                Math.clamp(amount.memoryBytes, 0, bound),
                Math.clamp(amount.gpus, 0, bound));
    }

    /** Whether this much fits into {@code free}. */
    public boolean fitsIn(Resources free) {
        return cpuMillis <= free.cpuMillis && memoryBytes <= free.memoryBytes && gpus <= free.gpus;
    }

    private Resources combine(Resources o, LongBinaryOperator op, String symbol) {
        try {
            return new Resources(
                    op.applyAsLong(cpuMillis, o.cpuMillis),
                    op.applyAsLong(memoryBytes, o.memoryBytes),
                    op.applyAsLong(gpus, o.gpus));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    "resource amounts out of range: " + this + symbol + o + " exceeds what can be counted", e);
        }
    }
}
