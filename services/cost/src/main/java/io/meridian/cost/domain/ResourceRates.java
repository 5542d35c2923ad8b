package io.meridian.cost.domain;

/** Hourly prices of one unit of each resource of a node: a CPU core, a GiB of RAM, a GPU. */
public record ResourceRates(double cpuCoreHour, double ramGiBHour, double gpuHour) {

    public static final ResourceRates ZERO = new ResourceRates(0, 0, 0);

    /** The hourly cost of a node with these rates and this capacity. */
    public double hourlyFor(double cpuCores, double ramGiB, double gpus) {
        return cpuCores * cpuCoreHour + ramGiB * ramGiBHour + gpus * gpuHour;
    }
}
