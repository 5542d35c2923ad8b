/**
 * The desired-bundle engine, the fleet's hands: applies each owner's bundle to a cluster, prunes what
 * left it, reports the outcome per object, and repairs drift. The one place that writes to clusters.
 * {@code BundlePlanner}, {@code BundleState}, {@code BundleStep}, {@code DesiredObject} and {@code AppliedFields}
 * are pure (no I/O, no Quarkus, no Kubernetes client); {@code BundleEngine}, {@code BundleApplier} and
 * {@code DriftWatch} carry out what they decide.
 */
package io.meridian.inventory.bundle;
