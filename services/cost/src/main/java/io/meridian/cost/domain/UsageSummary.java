package io.meridian.cost.domain;

import java.util.Map;

/** Usage over recent hours, as recommendations need it. */
public final class UsageSummary {

    private UsageSummary() {}

    /**
     * One container of one pod: requests, usage samples over the recent hours, and the rates of its node.
     *
     * @param cpu CPU samples in cores
     * @param ram working-set samples in bytes
     */
    public record Container(
            String cluster,
            String cloud,
            String namespace,
            String pod,
            String container,
            String workloadKind,
            String workloadName,
            Map<String, String> labels,
            double cpuRequestCores,
            double ramRequestBytes,
            SeriesStats cpu,
            SeriesStats ram,
            ResourceRates rates) {}

    /** One node: its price and capacity, and its mean usage over the recent hours (NaN when unknown). */
    public record Node(
            String cluster, String name, NodePrice price, double cpuUsageCores, double ramUsageBytes, int samples) {}
}
