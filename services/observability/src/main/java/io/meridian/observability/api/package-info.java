/** REST: fleet health, alert rules, alerts, silences and the audit index; viewers read, operators and admins write. */
package io.meridian.observability.api;
