/**
 * Placement's decisions and its rollout and failover events on {@code fleet.placement.v1}, a compacted topic with three
 * keys per workload ({@link io.meridian.contracts.placement.PlacementKey}).
 */
package io.meridian.contracts.placement;
