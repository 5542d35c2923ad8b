/** Reconcilers: from grants, templates and the fleet to one desired RBAC bundle per cluster. */
package io.meridian.identity.reconcile;
