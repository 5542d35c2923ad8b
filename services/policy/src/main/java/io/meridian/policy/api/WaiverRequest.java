package io.meridian.policy.api;

import java.time.Instant;

/** A new waiver: the policy, an optional cluster/namespace/object scope, a reason and an expiry. */
public record WaiverRequest(
        String policy,
        String clusterId,
        String namespace,
        String kind,
        String name,
        String reason,
        Instant expiresAt) {}
