/**
 * The cost model, pure: price catalog and its resolution per node, the OpenCost ratio split, allocation of
 * one window (containers, volumes, network, shared and idle cost), aggregation, recommendations and budgets.
 * No Quarkus, Kafka or fabric8 here, so the allocation core can be benchmarked and unit-tested directly.
 */
package io.meridian.cost.domain;
