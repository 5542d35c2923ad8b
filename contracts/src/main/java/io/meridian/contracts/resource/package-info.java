/**
 * Observed Kubernetes objects and resync markers on {@code fleet.resources.v1}, keyed
 * {@code clusterId/group/kind/namespace/name} and partitioned by clusterId. A deleted object is a tombstone.
 */
package io.meridian.contracts.resource;
