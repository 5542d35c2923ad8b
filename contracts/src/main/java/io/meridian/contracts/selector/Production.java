package io.meridian.contracts.selector;

import java.util.Map;

/**
 * What makes a cluster production, one rule for every service: its registered environment ({@code
 * meridian.io/environment}) or its {@code environment} label is {@code prod}. Identity's guard rails (a grant reaching
 * prod needs a second approver), inventory's registry guard (only a fleet-admin moves a cluster into or out of prod)
 * and placement's write guard (only a fleet-admin places on prod) all read it here, so they cannot disagree.
 */
public final class Production {

    /** The environment value that makes a cluster production. */
    public static final String PROD = "prod";

    private Production() {}

    /** Whether a cluster with these selectable labels is production. */
    public static boolean isProd(SelectableLabels labels) {
        return PROD.equals(labels.get(SelectableLabels.ENVIRONMENT))
                || PROD.equals(labels.get(SelectableLabels.ENVIRONMENT_LABEL));
    }

    /**
     * Whether a cluster registered in {@code environment} with {@code labels} is production, or would be taken for it
     * by a selector: a label {@code meridian.io/environment=prod} counts like the registered environment.
     */
    public static boolean isProd(String environment, Map<String, String> labels) {
        return PROD.equals(environment)
                || (labels != null
                        && (PROD.equals(labels.get(SelectableLabels.ENVIRONMENT))
                                || PROD.equals(labels.get(SelectableLabels.ENVIRONMENT_LABEL))));
    }

    /**
     * Whether some cluster, now or later, could be both selected by {@code selector} and production, decided from the
     * selector alone so that the answer holds for clusters that join or are relabelled later: a selector stays off
     * production only when it rules out {@code prod} for both the registered environment and the label.
     */
    public static boolean reachableBy(ClusterSelector selector) {
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
