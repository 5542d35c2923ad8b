/**
 * Notification delivery: the outbound clients that carry a planned notification to a receiver's endpoint (HTTP for
 * webhooks, Slack and PagerDuty), through the endpoint allow-list, with timeouts and no redirects.
 */
package io.meridian.observability.notify;
