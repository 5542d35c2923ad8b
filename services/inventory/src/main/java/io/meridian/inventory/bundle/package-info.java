/**
 * The desired-bundle engine, the fleet's hands: applies each owner's bundle to a cluster, prunes what
 * left it, reports the outcome per object, and repairs drift. The one place that writes to clusters.
 */
package io.meridian.inventory.bundle;
