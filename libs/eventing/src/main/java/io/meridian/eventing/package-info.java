/**
 * The eventing pieces every Meridian service shares: the transactional outbox and its relay to Kafka
 * ({@code outbox}), the idempotent-consumer guard and dead-letter-friendly reading ({@code inbound}),
 * and audit records ({@code audit}).
 */
package io.meridian.eventing;
