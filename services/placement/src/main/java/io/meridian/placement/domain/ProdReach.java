package io.meridian.placement.domain;

import io.meridian.contracts.selector.ClusterSelector;
import io.meridian.contracts.selector.LabelSelector;
import io.meridian.contracts.selector.SelectableLabels;

/**
 * Whether a workload's selector could put it on a production cluster, decided from the selector alone, so that the
 * answer holds for clusters that join or are relabelled later. A cluster is production, as identity's guard rails and
 * inventory's prod guard read it, when its {@code environment} label or its registered environment ({@code
 * meridian.io/environment}) is {@code prod}; a selector stays off production only when it rules out {@code prod} for
 * both.
 */
public final class ProdReach {

    /** The environment value that makes a cluster production. */
    public static final String PROD = "prod";

    private ProdReach() {}

    /** Whether some cluster, now or later, could be both selected by {@code selector} and production. */
    public static boolean canReachProd(ClusterSelector selector) {
        LabelSelector labels = (selector == null ? ClusterSelector.ALL : selector).asLabelSelector();
        return !excludesProd(labels, SelectableLabels.ENVIRONMENT)
                || !excludesProd(labels, SelectableLabels.ENVIRONMENT_LABEL);
    }

    // Each term of a selector must hold, so one term that cannot hold for the value prod is enough.
    private static boolean excludesProd(LabelSelector labels, String key) {
        String equal = labels.matchLabels().get(key);
        if (equal != null && !equal.equals(PROD)) {
            return true;
        }
        for (LabelSelector.Requirement r : labels.matchExpressions()) {
            if (!key.equals(r.key()) || r.operator() == null) {
                continue;
            }
            boolean excludes = switch (r.operator()) {
                case IN -> !r.values().contains(PROD);
                case NOT_IN -> r.values().contains(PROD);
                case DOES_NOT_EXIST -> true;
                case EXISTS -> false;
            };
            if (excludes) {
                return true;
            }
        }
        return false;
    }
}
