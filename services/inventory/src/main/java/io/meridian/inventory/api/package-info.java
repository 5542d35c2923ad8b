/** Inventory's REST API: the cluster registry and fleet search. */
package io.meridian.inventory.api;
