/** Cost summaries and budget events on {@code fleet.cost.v1}, keyed by scope. */
package io.meridian.contracts.cost;
