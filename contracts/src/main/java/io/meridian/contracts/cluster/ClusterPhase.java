package io.meridian.contracts.cluster;

/** Where a cluster is in its lifecycle, as inventory sees it. */
public enum ClusterPhase {
    Pending,
    Connecting,
    Ready,
    Degraded,
    Unreachable,
    Deregistered
}
