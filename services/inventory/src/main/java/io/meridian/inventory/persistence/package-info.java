/** Inventory's tables in its own schema, used through Hibernate Reactive. */
package io.meridian.inventory.persistence;
