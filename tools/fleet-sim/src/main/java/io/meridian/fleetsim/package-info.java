/**
 * A simulated multi-cloud fleet: many fabric8 mock Kubernetes API servers, seeded realistically per cloud, with
 * Prometheus metrics, an optional Cluster API management cluster and a control API to inject faults.
 */
package io.meridian.fleetsim;
