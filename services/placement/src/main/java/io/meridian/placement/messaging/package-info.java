/**
 * Placement's Kafka edge: thin consumers of the fleet streams ({@code fleet.clusters.v1}, {@code fleet.resources.v1},
 * the cluster rates of {@code fleet.cost.v1}) that fold them into the fleet view, and of {@code fleet.sync.v1} for
 * placement's own bundles; each wakes the workloads a record may affect.
 */
package io.meridian.placement.messaging;
