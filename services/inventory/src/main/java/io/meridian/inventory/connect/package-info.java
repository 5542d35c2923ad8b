/**
 * Connections to clusters: one per registered cluster this replica owns, each with informers that
 * publish what the cluster holds and a probe that tells Ready from Unreachable.
 */
package io.meridian.inventory.connect;
