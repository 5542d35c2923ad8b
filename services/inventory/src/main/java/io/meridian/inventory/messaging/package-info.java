/** Thin Kafka adapters: cluster events trigger connection reconciles; the fleet view feeds the search index. */
package io.meridian.inventory.messaging;
