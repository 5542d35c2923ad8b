/**
 * Pure observability logic: the Prometheus text parser, the bounded series store, the fleet view, fleet
 * signals and health, alert rules, the alert lifecycle, silences, inhibition and grouping. No Quarkus,
 * Kafka or fabric8 imports.
 */
package io.meridian.observability.domain;
