/** The cost service: Cost allocation across clouds, network egress, recommendations and budgets. */
package io.meridian.cost;
