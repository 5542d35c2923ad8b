/** The transactional outbox: {@link io.meridian.eventing.outbox.Outbox} writes, {@link io.meridian.eventing.outbox.OutboxRelay} publishes. */
package io.meridian.eventing.outbox;
