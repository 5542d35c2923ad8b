package io.meridian.placement.domain;

/** A cluster's state as inventory reports it on {@code fleet.clusters.v1}, reduced to what placement acts on. */
public enum ClusterHealth {
    READY,
    /**
     * Reachable but not Ready (registering, inventory (re)connecting, degraded, credentials refused): not a candidate;
     * a cluster already chosen is treated like an Unreachable one: it keeps its share for {@code failover.after} and
     * counts towards a failover suppression, so that an inventory restart moves nothing.
     */
    NOT_READY,
    /** Inventory lost the connection: after {@code failover.after} the workload's share moves elsewhere. */
    UNREACHABLE
}
