/**
 * Placement's REST edge for workloads: JSON and YAML in, problem documents naming the field and the object out, fleet
 * roles plus the prod guard rail on every write ({@link io.meridian.placement.api.WorkloadWriteGuard}).
 */
package io.meridian.placement.api;
