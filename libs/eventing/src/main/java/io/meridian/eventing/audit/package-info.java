/**
 * Audit records: every mutation and every write to a cluster, published through the outbox on the service's own audit
 * topic, {@code fleet.audit.<service>.v1}.
 */
package io.meridian.eventing.audit;
