/** The identity service: Fleet access grants from Keycloak groups and users, converged to RBAC on every cluster. */
package io.meridian.identity;
