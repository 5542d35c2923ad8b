/**
 * Which clusters (and which objects) something applies to, defined once for the fleet: Kubernetes label selectors
 * in their structured and {@code kubectl -l} string forms, the {@link io.meridian.contracts.selector.ClusterSelector}
 * that adds clouds, environments and regions, and the {@link io.meridian.contracts.selector.SelectableLabels} of a
 * cluster that every selector is matched against. Parsing and validation run in linear time and use no regular
 * expressions, because selectors come from callers.
 */
package io.meridian.contracts.selector;
