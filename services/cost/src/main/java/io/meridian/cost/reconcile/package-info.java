/**
 * Turns the fleet and usage streams into allocations: the in-memory model of the fleet, hourly windows closed
 * once each (persisted with their cost summaries), the open window on demand, budget checks, each cluster's rates on
 * {@code fleet.cost.v1} and the cost gauges.
 */
package io.meridian.cost.reconcile;
