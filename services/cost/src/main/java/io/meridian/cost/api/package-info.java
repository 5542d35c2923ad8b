/** REST: allocation, prices and overrides, recommendations, budgets. Viewers read; operators and admins change. */
package io.meridian.cost.api;
