package io.meridian.contracts.sync;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of applying one desired bundle to one cluster. {@code generationApplied} lags
 * {@code generationWanted} while objects fail; 0 means no generation was ever fully applied.
 */
public record SyncReport(
        String owner,
        String clusterId,
        long generationWanted,
        long generationApplied,
        List<ObjectOutcome> outcomes,
        long durationMillis,
        Instant reportedAt) {

    public SyncReport {
        outcomes = outcomes == null ? List.of() : List.copyOf(outcomes);
    }

    /** The record key on {@code fleet.sync.v1}: {@code owner/clusterId}. */
    public String key() {
        return owner + "/" + clusterId;
    }
}
