/**
 * Placement's Kafka edge: thin consumers of the fleet streams ({@code fleet.clusters.v1}, {@code fleet.resources.v1},
 * the cluster rates of {@code fleet.cost.v1}) that fold them into the fleet view, and of {@code fleet.sync.v1} for
 * placement's own bundles, each read whole by every replica; each wakes the workloads a record may affect, of which
 * the queue keeps those this replica owns. Ownership comes from the partitions of {@code fleet.placement.v1} that the
 * group {@code placement-workload-owners} assigns to this replica (ADR 0011).
 */
package io.meridian.placement.messaging;
