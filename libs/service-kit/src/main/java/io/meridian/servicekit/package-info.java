/**
 * The REST edge every Meridian service shares: fleet roles, RFC 9457 {@code application/problem+json}
 * errors that name the offending field, and the service/caller endpoint.
 */
package io.meridian.servicekit;
