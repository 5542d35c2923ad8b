package io.meridian.identity.domain;

import io.meridian.contracts.selector.Production;
import io.meridian.contracts.selector.SelectableLabels;
import java.util.Map;

/** A cluster of the fleet as identity keeps it from {@code fleet.clusters.v1}: what grants select on. */
public record FleetCluster(String id, String cloud, String region, String environment, Map<String, String> labels) {

    public FleetCluster {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** The labels a selector sees: the cluster's own plus the well-known ones, by the fleet's one definition. */
    public SelectableLabels selectableLabels() {
        return SelectableLabels.of(id, cloud, region, environment, labels);
    }

    /** Labelled or registered as {@code environment=prod}. */
    public boolean isProd() {
        return Production.isProd(selectableLabels());
    }
}
