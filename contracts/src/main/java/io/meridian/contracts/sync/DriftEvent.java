package io.meridian.contracts.sync;

import io.meridian.contracts.ObjectRef;
import java.time.Instant;

/**
 * An out-of-band change to an object Meridian manages, and whether it was put back. {@code changedBy} is
 * the field manager or user that made the change, when the cluster tells.
 */
public record DriftEvent(
        String owner,
        String clusterId,
        ObjectRef object,
        Change change,
        String changedBy,
        Instant detectedAt,
        boolean repaired) {

    /** How the object drifted. */
    public enum Change {
        Modified,
        Deleted
    }

    /** The record key on {@code fleet.sync.v1}: {@code owner/clusterId}. */
    public String key() {
        return owner + "/" + clusterId;
    }
}
