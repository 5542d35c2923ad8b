package io.meridian.inventory.bundle;

/** Where the engine is with one owner's bundle on one cluster; the sync API shows the names as they are. */
public enum BundlePhase {
    /** Declared, and not reconciled on this replica yet. */
    Declared,
    /** The cluster is not connected (unreachable, or not connected yet): the bundle is applied when it connects. */
    WaitingForCluster,
    /** Every object of the declared generation is on the cluster as its owner wants it. */
    Applied,
    /** Applied, but some objects failed or are conflicts; the periodic resync tries them again. */
    PartiallyApplied,
    /** The cluster or the database failed the last run; it is run again after a back-off. */
    Retrying
}
