/**
 * Placement's own tables in schema {@code placement}: workloads and every revision of them, the scheduler's
 * decisions, rollout progress, which workload generation each cluster's bundle carries, and the bundle bookkeeping of
 * libs/eventing's declarer. Hibernate Reactive native queries; JSON columns hold the domain records as text.
 */
package io.meridian.placement.persistence;
