package io.meridian.contracts.sync;

/** What applying a bundle did to one object; {@code namespace} and {@code reason} may be {@code null}. */
public record ObjectOutcome(
        String apiVersion, String kind, String namespace, String name, Outcome outcome, String reason) {

    /** The typed result of reconciling one object. */
    public enum Outcome {
        Created,
        Patched,
        Unchanged,
        Deleted,
        Conflict,
        Failed
    }
}
