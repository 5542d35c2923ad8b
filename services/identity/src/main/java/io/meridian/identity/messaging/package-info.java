/** Thin Kafka adapters: cluster snapshots, sync reports and observed RBAC become domain calls. */
package io.meridian.identity.messaging;
