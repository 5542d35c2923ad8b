/**
 * Cost summaries and budget events on {@code fleet.cost.v1}, keyed by scope, and each cluster's rates, keyed {@code
 * rates/<clusterId>}.
 */
package io.meridian.contracts.cost;
