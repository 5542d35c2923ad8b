package io.meridian.observability.notify;

/** What one delivery attempt came to. Reasons never carry a receiver's secret (its URL or key). */
public sealed interface DeliveryOutcome {

    /** The endpoint accepted the notification. */
    record Delivered(int status) implements DeliveryOutcome {}

    /** The attempt failed; {@code retryable} is false when sending the same again cannot succeed (a 4xx, a refusal). */
    record Failed(String reason, boolean retryable) implements DeliveryOutcome {}
}
