/** The append-only audit trail on {@code fleet.audit.v1}, keyed by target. */
package io.meridian.contracts.audit;
