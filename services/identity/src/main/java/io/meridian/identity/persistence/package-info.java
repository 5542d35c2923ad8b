/** Hibernate Reactive entities and the stores that write them together with their events (outbox) and audit records. */
package io.meridian.identity.persistence;
