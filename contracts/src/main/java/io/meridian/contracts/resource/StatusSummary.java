package io.meridian.contracts.resource;

import java.util.Map;

/**
 * The part of an object's status that fleet views need; every field is {@code null} when the kind has no
 * such notion, and {@code conditions} maps condition type to status ("True", "False", "Unknown").
 */
public record StatusSummary(
        String phase,
        Boolean ready,
        Integer replicas,
        Integer readyReplicas,
        Integer restarts,
        Map<String, String> conditions) {

    /** A status with nothing known. */
    public static final StatusSummary EMPTY = new StatusSummary(null, null, null, null, null, Map.of());

    public StatusSummary {
        conditions = conditions == null ? Map.of() : Map.copyOf(conditions);
    }
}
