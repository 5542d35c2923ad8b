/** The inventory service: the cluster registry, the only holder of cluster credentials. */
package io.meridian.inventory;
