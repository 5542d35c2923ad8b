/** Audit records: every mutation and every write to a cluster, published on {@code fleet.audit.v1} through the outbox. */
package io.meridian.eventing.audit;
