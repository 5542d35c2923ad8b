/** Thin Kafka adapters: clusters, observed resources and usage metrics feed the cost model. */
package io.meridian.cost.messaging;
