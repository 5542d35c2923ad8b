package io.meridian.policy.domain;

import java.time.Instant;

/**
 * An exemption from one policy for a cluster, a namespace or one object, with a reason and an expiry. A {@code null}
 * scope field means "any"; {@code kind} + {@code name} narrow it to one object. Past {@code expiresAt} it no longer
 * applies.
 */
public record Waiver(
        String id,
        String policy,
        String clusterId,
        String namespace,
        String kind,
        String name,
        String reason,
        Instant expiresAt,
        String createdBy,
        Instant createdAt) {

    public boolean activeAt(Instant now) {
        return expiresAt == null || now.isBefore(expiresAt);
    }

    /** Whether this waiver exempts {@code object} from {@code policyName} at {@code now}. */
    public boolean covers(String policyName, FleetObject object, Instant now) {
        return activeAt(now)
                && policy.equals(policyName)
                && (clusterId == null || clusterId.equals(object.clusterId()))
                && (namespace == null || namespace.equals(object.namespace()))
                && (kind == null || kind.equals(object.kind()))
                && (name == null || name.equals(object.name()));
    }
}
