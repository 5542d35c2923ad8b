package io.meridian.inventory.registry;

import io.meridian.contracts.cluster.Cloud;
import io.meridian.contracts.selector.SelectableLabels;
import java.util.Map;

/**
 * What a user registers about a cluster, apart from its credentials. The name is the cluster's id
 * everywhere in Meridian (Kafka keys, selectors, URLs) and never changes.
 */
public record ClusterSpec(
        String name,
        String displayName,
        Cloud cloud,
        String region,
        String environment,
        Map<String, String> labels,
        String apiServerUrl,
        String metricsUrl) {

    public ClusterSpec {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /**
     * The labels selectors see: the user's labels plus the well-known facts, so a selector can say
     * {@code meridian.io/cloud=aws} or {@code environment=prod} without anyone labelling by hand.
     */
    public SelectableLabels selectableLabels() {
        return SelectableLabels.of(name, cloud == null ? null : cloud.wireName(), region, environment, labels);
    }
}
