package io.meridian.placement.reconcile;

/**
 * What the API tells the reconciler after a workload change committed: look at this workload again. Level-triggered,
 * so a lost or repeated call converges all the same; every bean of this type is called (none is fine: the
 * reconciler's periodic resync then finds the change). The replica that took the write reconciles the workload at
 * once whether or not it owns it (ADR 0011): the advisory locks keep that safe beside the owner.
 */
public interface WorkloadReconcileTrigger {

    /** The workload {@code name} was created, replaced, rolled back or deleted; its row is committed. */
    void workloadChanged(String name);
}
