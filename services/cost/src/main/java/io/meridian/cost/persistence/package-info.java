/**
 * The cost schema through Hibernate Reactive native queries: price overrides, closed windows with their
 * allocations, assets and traffic, budgets and the thresholds already announced. Each change commits together
 * with its events (outbox) and audit record.
 */
package io.meridian.cost.persistence;
