/**
 * Reading events: {@link io.meridian.eventing.inbound.IncomingEvents} turns a Kafka record into a
 * CloudEvent or fails with the reason the dead-letter record will carry, {@link
 * io.meridian.eventing.inbound.ProcessedEvents} makes a consumer idempotent, and {@link
 * io.meridian.eventing.inbound.SkippedFleetEvents} counts the fleet-stream records a consumer skips.
 */
package io.meridian.eventing.inbound;
