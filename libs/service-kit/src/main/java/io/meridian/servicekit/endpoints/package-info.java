/**
 * Which hosts a service may connect to on a caller's behalf (cluster API servers, metrics endpoints): an
 * allow-list of host globs and CIDRs that refuses reserved addresses (cloud metadata, link-local and the like) even
 * when unset, checked when a URL is accepted and again, with DNS, before connecting; the connection then goes to the
 * very address judged.
 */
package io.meridian.servicekit.endpoints;
