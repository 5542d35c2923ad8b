/**
 * The owner side of the desired-bundle protocol, written once for every owner service: {@link
 * io.meridian.eventing.desired.DesiredBundleDeclarer} turns "what this owner wants on this cluster" into a new
 * generation on the owner's own topic {@code fleet.desired.<owner>.v1}, a tombstone when nothing is wanted, or nothing
 * at all when the content is what was declared last. It keeps its bookkeeping in the owner's {@code desired_bundle}
 * table, which each service's own Flyway migration creates.
 */
package io.meridian.eventing.desired;
