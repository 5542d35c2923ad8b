package io.meridian.cost.domain;

import java.util.Set;

/**
 * Which namespaces serve everyone (their cost is spread over the other workloads of their cluster) and how:
 * {@code even} gives every receiving pod the same share, {@code weighted} shares in proportion to its own cost.
 */
public record SharedCostPolicy(Set<String> namespaces, Split split) {

    /** How shared cost is spread. */
    public enum Split {
        even,
        weighted
    }

    public static final SharedCostPolicy NONE = new SharedCostPolicy(Set.of(), Split.weighted);

    public SharedCostPolicy {
        namespaces = Set.copyOf(namespaces);
    }
}
