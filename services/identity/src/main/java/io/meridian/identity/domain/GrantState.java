package io.meridian.identity.domain;

/** Where a grant is in its life: only Active grants reach clusters. */
public enum GrantState {
    /** Waits for a second fleet-admin's approval. */
    Pending,
    Active,
    Revoked,
    Expired;

    public boolean ended() {
        return this == Revoked || this == Expired;
    }
}
