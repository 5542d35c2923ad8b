/** Cluster lifecycle and status snapshots on {@code fleet.clusters.v1}, keyed by clusterId. */
package io.meridian.contracts.cluster;
