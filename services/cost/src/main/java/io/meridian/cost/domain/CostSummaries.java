package io.meridian.cost.domain;

import io.meridian.contracts.cost.CostSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The summaries a closed window publishes: one per cloud, cluster, namespace ({@code cluster/namespace}) and value of
 * each summary label key. Shared cost is part of the total, not of any one resource.
 */
public final class CostSummaries {

    private CostSummaries() {}

    public static List<CostSummary> of(WindowAllocation window, String currency, List<String> labelKeys) {
        Map<String, CostTotals> scopes = new TreeMap<>();
        for (Allocation a : window.allocations()) {
            CostTotals t = CostTotals.of(a);
            scopes.merge("cloud:" + a.cloud(), t, CostTotals::plus);
            scopes.merge("cluster:" + a.cluster(), t, CostTotals::plus);
            if (!a.idle()) {
                scopes.merge("namespace:" + a.cluster() + "/" + a.namespace(), t, CostTotals::plus);
                for (String key : labelKeys) {
                    String value = a.labels().get(key);
                    if (value != null) {
                        scopes.merge("label:" + key + "=" + value, t, CostTotals::plus);
                    }
                }
            }
        }
        List<CostSummary> out = new ArrayList<>(scopes.size());
        scopes.forEach((scope, t) -> out.add(new CostSummary(
                scope,
                window.start(),
                window.end(),
                currency,
                t.cpuCost(),
                t.ramCost(),
                t.gpuCost(),
                t.pvCost(),
                t.networkCost(),
                t.idleCost(),
                t.totalCost())));
        return out;
    }
}
