/**
 * Placement's reconciler: the in-memory fleet view rebuilt from the fleet streams, and the per-workload loop that
 * decides (scheduler), plans (rollout planner), publishes, and declares each touched cluster's bundle, one workload
 * at a time, level-triggered, with a periodic resync.
 */
package io.meridian.placement.reconcile;
