/** PostgreSQL state through Hibernate Reactive native queries: rules, alerts, silences and the audit index. */
package io.meridian.observability.persistence;
