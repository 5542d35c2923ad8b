/** Imports clusters that Cluster API manages: maps CAPI {@code Cluster} objects and their kubeconfig secrets. */
package io.meridian.inventory.capi;
