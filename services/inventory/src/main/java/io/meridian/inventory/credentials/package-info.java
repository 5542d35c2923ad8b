/**
 * Cluster credentials: how they are encrypted at rest, validated on the way in, and turned into a client
 * configuration; the only package that sees them in clear.
 */
package io.meridian.inventory.credentials;
