/**
 * The inventory service: the cluster registry, the only holder of cluster credentials, and the fleet's one write path.
 *
 * <h2>Why inventory is packaged by feature</h2>
 *
 * STYLE.md lays a service out by role ({@code domain}, {@code reconcile}, {@code messaging}, {@code persistence},
 * {@code api}, {@code config}). Inventory keeps that layout for its adapters, which are thin and alike in every
 * service: REST in {@code api}, Kafka in {@code messaging}, tables in {@code persistence}, configuration in
 * {@code config}. Its core is packaged by feature instead ({@code bundle}, {@code connect}, {@code credentials},
 * {@code observe}, {@code registry}, {@code search}, {@code capi}), because inventory, unlike the other services,
 * holds several independent engines that each hold live Kubernetes connections:
 *
 * <ul>
 *   <li>Each engine's pure decisions and its I/O change together and are tested together; a role split would cut
 *       every one of them in two ({@code bundle}: the planner and state in {@code domain}, the engine, applier and
 *       drift watch in {@code reconcile}).
 *   <li>Package-private is the boundary that matters here: only {@code credentials} sees credentials in clear, and only
 *       {@code bundle} can write to a cluster ({@code BundleApplier} is not public). Split by role, those types would
 *       have to be public to the whole service.
 * </ul>
 *
 * The rule that pure logic has no Quarkus, fabric8 or Kafka import still holds, per class rather than per package:
 * {@code registry} and {@code observe} are pure throughout, and in {@code bundle} the {@code BundlePlanner},
 * {@code BundleState}, {@code BundleStep}, {@code DesiredObject} and {@code AppliedFields} are. See
 * {@code docs/adr/0002-inventory-packaged-by-feature.md}.
 */
package io.meridian.inventory;
