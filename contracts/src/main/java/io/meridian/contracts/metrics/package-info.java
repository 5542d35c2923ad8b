/** Usage samples scraped from clusters on {@code fleet.metrics.v1}, keyed by clusterId. */
package io.meridian.contracts.metrics;
