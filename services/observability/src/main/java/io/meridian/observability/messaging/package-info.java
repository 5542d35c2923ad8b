/**
 * Thin Kafka adapters: the fleet's events feed the fleet view, metrics batches feed the series store,
 * audit records feed the audit index, alert transitions feed notifications, and the scrape group's partitions
 * decide which clusters this replica scrapes.
 */
package io.meridian.observability.messaging;
