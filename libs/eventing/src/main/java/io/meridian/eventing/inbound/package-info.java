/**
 * Reading events: {@link io.meridian.eventing.inbound.IncomingEvents} turns a Kafka record into a
 * CloudEvent or fails with the reason the dead-letter record will carry, and {@link
 * io.meridian.eventing.inbound.ProcessedEvents} makes a consumer idempotent.
 */
package io.meridian.eventing.inbound;
