/**
 * Which hosts a service may connect to on a caller's behalf (cluster API servers, metrics endpoints): an
 * allow-list of host globs and CIDRs, checked when a URL is accepted and again, with DNS, before connecting.
 */
package io.meridian.servicekit.endpoints;
