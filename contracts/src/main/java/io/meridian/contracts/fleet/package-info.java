/**
 * The fleet streams decoded once for every service: {@link io.meridian.contracts.fleet.FleetStreams} turns a record
 * of {@code fleet.clusters.v1} into a {@link io.meridian.contracts.fleet.ClusterEvent}, one of {@code
 * fleet.resources.v1} into a {@link io.meridian.contracts.fleet.ResourceEvent}, one of {@code fleet.placement.v1}
 * into a {@link io.meridian.contracts.fleet.PlacementEvent}, and one of {@code fleet.cost.v1} into the {@link
 * io.meridian.contracts.fleet.RatesEvent} a reader of cluster rates needs, under one rule for tombstones, resync
 * markers, unknown event types and unreadable records.
 */
package io.meridian.contracts.fleet;
