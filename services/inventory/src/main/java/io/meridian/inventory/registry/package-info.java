/**
 * The cluster registry's pure model: what a registration is, the rules it must follow, and label
 * selectors. No Quarkus, database or Kubernetes client here.
 */
package io.meridian.inventory.registry;
