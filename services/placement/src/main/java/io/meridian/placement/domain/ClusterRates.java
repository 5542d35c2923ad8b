package io.meridian.placement.domain;

/**
 * What a cluster charges, as cost publishes it on {@code fleet.cost.v1}: per CPU core-hour, GiB-hour and GPU-hour
 * for its node mix, and the share of its capacity on spot instances.
 */
public record ClusterRates(
        String currency, double cpuCoreHour, double memoryGibHour, double gpuHour, double spotShare) {

    /** Hours in an average month, as cloud price sheets count them. */
    public static final double HOURS_PER_MONTH = 730;

    /** The monthly price of {@code requests} at these rates. */
    public double monthly(Resources requests) {
        double hourly = requests.cpuMillis() / 1000.0 * cpuCoreHour
                + requests.memoryBytes() / (1024.0 * 1024 * 1024) * memoryGibHour
                + requests.gpus() * gpuHour;
        return hourly * HOURS_PER_MONTH;
    }
}
