package io.meridian.placement.domain;

import io.meridian.contracts.selector.SelectableLabels;
import java.time.Instant;

/**
 * One cluster as placement sees it: its selectable labels, its health and since when, its capacity (node
 * allocatable, and the requests of the pods on it, from {@code fleet.resources.v1}) and its rates (null until cost
 * published them).
 */
public record ClusterFacts(
        String clusterId,
        String name,
        SelectableLabels labels,
        ClusterHealth health,
        Instant healthSince,
        Resources allocatable,
        Resources requested,
        ClusterRates rates) {

    /** Allocatable minus requested, never below zero. */
    public Resources free() {
        Resources f = allocatable.minus(requested);
        return new Resources(Math.max(0, f.cpuMillis()), Math.max(0, f.memoryBytes()), Math.max(0, f.gpus()));
    }
}
