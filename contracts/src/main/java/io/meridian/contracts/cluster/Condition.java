package io.meridian.contracts.cluster;

import java.time.Instant;

/**
 * A positive-polarity status condition in the Kubernetes style; {@code lastTransitionTime} changes only when
 * the status flips, and {@code message} may be {@code null}.
 */
public record Condition(
        String type, ConditionStatus status, String reason, String message, Instant lastTransitionTime) {}
