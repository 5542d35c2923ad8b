/** The append-only audit trail, one topic per service ({@code fleet.audit.<service>.v1}), keyed by target. */
package io.meridian.contracts.audit;
