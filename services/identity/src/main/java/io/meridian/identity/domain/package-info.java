/**
 * The pure model of fleet access: grants, role templates, clusters as identity sees them, the guard rails, the RBAC
 * planner and the access review. No Quarkus, Kafka or Kubernetes client imports.
 */
package io.meridian.identity.domain;
