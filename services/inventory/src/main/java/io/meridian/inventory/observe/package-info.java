/**
 * Turns what inventory reads from a cluster's API server (fabric8 model objects) into contract values:
 * trimmed {@code ObservedResource}s, cluster-wide facts derived from Nodes, and the list of watched kinds.
 * Pure code: no I/O, no Quarkus, no Kafka; only fabric8 <em>model</em> classes as input.
 */
package io.meridian.inventory.observe;
