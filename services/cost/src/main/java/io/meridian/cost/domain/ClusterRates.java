package io.meridian.cost.domain;

import io.meridian.contracts.cost.ClusterRatesPublished;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What one cluster charges per unit of capacity, from its node mix: each node priced by the {@link PriceBook} and split
 * into CPU, RAM and GPU by the OpenCost ratio exactly as the allocator charges a pod on it, then averaged over the
 * cluster weighted by each node's capacity. So a CPU core-hour of the cluster is what the cluster's cores cost per hour
 * in total divided by its cores, spot discounts and operators' overrides included.
 *
 * @param gpuHour 0 when no node has a GPU
 * @param spotShare the share of the nodes counted that are spot or preemptible, 0 to 1
 * @param nodeCount the nodes the rates were computed from: those with a known capacity
 */
public record ClusterRates(
        String clusterId,
        String currency,
        double cpuCoreHour,
        double memoryGibHour,
        double gpuHour,
        double spotShare,
        int nodeCount) {

    /**
     * Decimal places kept: far below a cent a month, and enough that the noise of floating-point sums never reads as
     * a change of rates (which would republish them).
     */
    static final int SCALE = 8;

    /**
     * The rates of a cluster in {@code cloud}/{@code region} with these nodes; empty when no node has a known capacity,
     * since a cluster without capacity charges nothing meaningful (a rate of 0 would make it the cheapest of all).
     */
    public static Optional<ClusterRates> of(
            String clusterId, String cloud, String region, Collection<NodeFacts> nodes, PriceBook prices) {
        double cores = 0;
        double cpuCost = 0;
        double gib = 0;
        double ramCost = 0;
        double gpus = 0;
        double gpuCost = 0;
        int counted = 0;
        int spot = 0;
        // In name order, so that every replica adds the same numbers in the same order and gets the same result.
        List<NodeFacts> ordered = nodes.stream()
                .sorted(Comparator.comparing(NodeFacts::name, Comparator.nullsFirst(Comparator.naturalOrder())))
                .toList();
        for (NodeFacts node : ordered) {
            NodePrice price = prices.node(cloud, region, node);
            if (price.cpuCores() <= 0 && price.ramGiB() <= 0 && price.gpus() <= 0) {
                continue; // neither the node nor the catalog says what it holds
            }
            counted++;
            if (price.spot()) {
                spot++;
            }
            cores += price.cpuCores();
            cpuCost += price.cpuCores() * price.rates().cpuCoreHour();
            gib += price.ramGiB();
            ramCost += price.ramGiB() * price.rates().ramGiBHour();
            gpus += price.gpus();
            gpuCost += price.gpus() * price.rates().gpuHour();
        }
        if (counted == 0 || cores <= 0) {
            return Optional.empty();
        }
        return Optional.of(new ClusterRates(
                clusterId,
                prices.currency(),
                round(cpuCost / cores),
                gib > 0 ? round(ramCost / gib) : 0,
                gpus > 0 ? round(gpuCost / gpus) : 0,
                round((double) spot / counted),
                counted));
    }

    /** The fact cost publishes on {@code fleet.cost.v1} under {@code rates/<clusterId>}. */
    public ClusterRatesPublished published(Instant computedAt) {
        return new ClusterRatesPublished(
                clusterId, currency, cpuCoreHour, memoryGibHour, gpuHour, spotShare, nodeCount, computedAt);
    }

    private static double round(double value) {
        return BigDecimal.valueOf(value).setScale(SCALE, RoundingMode.HALF_UP).doubleValue();
    }
}
