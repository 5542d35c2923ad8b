/**
 * Knowing when an in-memory view built from compacted topics has read them as far as they went: {@link
 * io.meridian.eventing.catchup.StreamCatchUp}, and the fleet view's {@link
 * io.meridian.eventing.catchup.FleetViewCatchUp} with its rebalance listener, which policy, placement and
 * observability share.
 */
package io.meridian.eventing.catchup;
