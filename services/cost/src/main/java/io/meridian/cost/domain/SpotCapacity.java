package io.meridian.cost.domain;

import java.util.Locale;
import java.util.Map;

/** Recognizes spot and preemptible nodes by the labels the managed Kubernetes offerings and Karpenter set. */
public final class SpotCapacity {

    /** Label keys and the values (lower case) that mean "this node is spot or preemptible". */
    static final Map<String, String> KNOWN = Map.of(
            "eks.amazonaws.com/capacitytype", "spot",
            "karpenter.sh/capacity-type", "spot",
            "cloud.google.com/gke-spot", "true",
            "cloud.google.com/gke-preemptible", "true",
            "kubernetes.azure.com/scalesetpriority", "spot");

    private SpotCapacity() {}

    /** Whether the labels mark spot capacity, by the well-known labels or the extra ones a catalog names. */
    public static boolean isSpot(Map<String, String> labels, Map<String, String> extra) {
        for (Map.Entry<String, String> label : labels.entrySet()) {
            String key = label.getKey().toLowerCase(Locale.ROOT);
            String value = label.getValue() == null ? "" : label.getValue().toLowerCase(Locale.ROOT);
            if (value.equals(KNOWN.get(key))) {
                return true;
            }
            for (Map.Entry<String, String> e : extra.entrySet()) {
                if (e.getKey().equalsIgnoreCase(key) && e.getValue().equalsIgnoreCase(value)) {
                    return true;
                }
            }
        }
        return false;
    }
}
