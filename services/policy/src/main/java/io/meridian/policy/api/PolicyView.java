package io.meridian.policy.api;

import io.meridian.policy.domain.PolicyDefinition;
import io.meridian.policy.persistence.PolicyStore;
import java.time.OffsetDateTime;

/** A policy as the API shows it: the definition plus generation and bookkeeping. */
public record PolicyView(
        PolicyDefinition policy,
        long generation,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        String updatedBy) {

    static PolicyView of(PolicyStore.StoredPolicy p) {
        return new PolicyView(p.definition(), p.generation(), p.createdAt(), p.updatedAt(), p.updatedBy());
    }
}
