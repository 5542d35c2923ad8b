/** Fleet-level series for Prometheus on /q/metrics, refreshed from the fleet view and the alert table. */
package io.meridian.observability.exposition;
