/**
 * The cost schema through Hibernate Reactive native queries: price overrides, closed windows with their
 * allocations, assets and traffic, budgets and the thresholds already announced, and the clusters' rates as last
 * published. Each change commits together with its events (outbox) and, where a person or a closed window made it,
 * its audit record.
 */
package io.meridian.cost.persistence;
