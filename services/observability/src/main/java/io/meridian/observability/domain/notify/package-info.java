/**
 * Pure notification logic, as Alertmanager does it: receivers, the route tree, and the planner that decides which
 * group notifications are due. No Quarkus, Kafka or HTTP imports; time is passed in.
 */
package io.meridian.observability.domain.notify;
