/**
 * Notification delivery: the outbound clients that carry a planned notification to a receiver's endpoint (HTTP for
 * webhooks, Slack and PagerDuty with no redirects; SMTP with STARTTLS for e-mail), through the endpoint allow-list,
 * connecting to the address it judged, with timeouts.
 */
package io.meridian.observability.notify;
