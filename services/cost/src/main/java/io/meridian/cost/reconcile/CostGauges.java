package io.meridian.cost.reconcile;

import io.meridian.cost.domain.Allocation;
import io.meridian.cost.domain.ClusterAssets;
import io.meridian.cost.domain.WindowAllocation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The last closed window's cost as Prometheus gauges, by cloud, cluster and namespace, for dashboards. */
@ApplicationScoped
public class CostGauges {

    private final MultiGauge namespaceCost;
    private final MultiGauge clusterAssets;
    private final MultiGauge clusterIdle;
    private final Counter windowsClosed;

    CostGauges(MeterRegistry registry) {
        namespaceCost = MultiGauge.builder("meridian.cost.namespace.hourly")
                .description("Cost of a namespace in the last closed hourly window, shared cost included")
                .baseUnit("USD")
                .register(registry);
        clusterAssets = MultiGauge.builder("meridian.cost.cluster.hourly")
                .description("Asset cost of a cluster (nodes, volumes, data transfer) in the last closed hourly window")
                .baseUnit("USD")
                .register(registry);
        clusterIdle = MultiGauge.builder("meridian.cost.cluster.idle.hourly")
                .description("Idle part of a cluster's cost in the last closed hourly window")
                .baseUnit("USD")
                .register(registry);
        windowsClosed = Counter.builder("meridian.cost.windows.closed")
                .description("Hourly windows allocated and persisted by this replica")
                .register(registry);
    }

    void closed(WindowAllocation window) {
        windowsClosed.increment();
        Map<List<String>, Double> byNamespace = new HashMap<>();
        Map<List<String>, Double> idle = new HashMap<>();
        for (Allocation a : window.allocations()) {
            if (a.idle()) {
                idle.merge(List.of(a.cloud(), a.cluster()), a.totalCost(), Double::sum);
            } else {
                byNamespace.merge(List.of(a.cloud(), a.cluster(), a.namespace()), a.totalCost(), Double::sum);
            }
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        byNamespace.forEach((k, v) ->
                rows.add(MultiGauge.Row.of(Tags.of("cloud", k.get(0), "cluster", k.get(1), "namespace", k.get(2)), v)));
        namespaceCost.register(rows, true);
        List<MultiGauge.Row<?>> assets = new ArrayList<>();
        for (ClusterAssets a : window.assets()) {
            assets.add(MultiGauge.Row.of(Tags.of("cloud", a.cloud(), "cluster", a.cluster()), a.totalCost()));
        }
        clusterAssets.register(assets, true);
        List<MultiGauge.Row<?>> idleRows = new ArrayList<>();
        idle.forEach((k, v) -> idleRows.add(MultiGauge.Row.of(Tags.of("cloud", k.get(0), "cluster", k.get(1)), v)));
        clusterIdle.register(idleRows, true);
    }
}
