/** The observability service: Fleet metrics, health, alert rules and alert events, and the audit index. */
package io.meridian.observability;
