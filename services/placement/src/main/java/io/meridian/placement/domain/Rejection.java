package io.meridian.placement.domain;

/** Why a cluster was not chosen; each comes with a detail in words and numbers. */
public enum Rejection {
    NOT_SELECTED,
    NOT_READY,
    NO_CAPACITY,
    SPREAD,
    MAX_CLUSTERS,
    COST_RANK,
    /** The workload would not fit in the cluster's one bundle beside the workloads already there. */
    BUNDLE_FULL
}
