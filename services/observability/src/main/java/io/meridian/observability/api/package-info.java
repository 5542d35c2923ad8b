/**
 * REST: fleet health, alert rules, alerts, silences, receivers, routes, the notification log and the audit index;
 * viewers read, operators and admins write.
 */
package io.meridian.observability.api;
