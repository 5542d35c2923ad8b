/**
 * The two fleet streams decoded once for every service: {@link io.meridian.contracts.fleet.FleetStreams} turns a
 * record of {@code fleet.clusters.v1} into a {@link io.meridian.contracts.fleet.ClusterEvent} and one of {@code
 * fleet.resources.v1} into a {@link io.meridian.contracts.fleet.ResourceEvent}, under one rule for tombstones,
 * resync markers, unknown event types and unreadable records.
 */
package io.meridian.contracts.fleet;
