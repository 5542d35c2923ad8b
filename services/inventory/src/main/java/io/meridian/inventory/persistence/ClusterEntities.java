package io.meridian.inventory.persistence;

import io.meridian.contracts.cluster.Cloud;
import io.meridian.contracts.selector.SelectableLabels;
import io.meridian.inventory.registry.ClusterSpec;

/** Conversions from the registry row to the pure model. */
public final class ClusterEntities {

    private ClusterEntities() {}

    public static ClusterSpec spec(ClusterEntity c) {
        return new ClusterSpec(
                c.name,
                c.displayName,
                Cloud.fromWire(c.cloud).orElse(Cloud.OTHER),
                c.region,
                c.environment,
                c.labels,
                c.apiServerUrl,
                c.metricsUrl);
    }

    public static SelectableLabels selectableLabels(ClusterEntity c) {
        return spec(c).selectableLabels();
    }
}
