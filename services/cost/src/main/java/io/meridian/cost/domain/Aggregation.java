package io.meridian.cost.domain;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** How allocations are grouped: by cloud, cluster, namespace, workload or the value of one label. */
public sealed interface Aggregation {

    /** The value rows without the label are grouped under, as OpenCost names it. */
    String UNALLOCATED = "__unallocated__";

    /** The group of one allocation. Idle rows form their own group except by cloud and cluster, which own them. */
    String keyOf(Allocation a);

    /** The query-parameter form, e.g. {@code label:team}. */
    String text();

    /** By cloud. */
    record ByCloud() implements Aggregation {
        public String keyOf(Allocation a) {
            return a.cloud();
        }

        public String text() {
            return "cloud";
        }
    }

    /** By cluster. */
    record ByCluster() implements Aggregation {
        public String keyOf(Allocation a) {
            return a.cluster();
        }

        public String text() {
            return "cluster";
        }
    }

    /** By namespace name, across clusters. */
    record ByNamespace() implements Aggregation {
        public String keyOf(Allocation a) {
            return a.idle() ? Allocation.IDLE : a.namespace();
        }

        public String text() {
            return "namespace";
        }
    }

    /** By owning workload, as {@code namespace/Kind/name}. */
    record ByWorkload() implements Aggregation {
        public String keyOf(Allocation a) {
            if (a.idle()) {
                return Allocation.IDLE;
            }
            return a.namespace() + "/" + (a.workloadKind() == null ? "" : a.workloadKind()) + "/"
                    + (a.workloadName() == null ? a.pod() : a.workloadName());
        }

        public String text() {
            return "workload";
        }
    }

    /** By the value of one label (pod labels over namespace labels). */
    record ByLabel(String key) implements Aggregation {
        public String keyOf(Allocation a) {
            if (a.idle()) {
                return Allocation.IDLE;
            }
            String value = a.labels().get(key);
            return value == null ? UNALLOCATED : value;
        }

        public String text() {
            return "label:" + key;
        }
    }

    /** Parses {@code cloud|cluster|namespace|workload|label:<key>}. */
    static Optional<Aggregation> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return switch (text) {
            case "cloud" -> Optional.of(new ByCloud());
            case "cluster" -> Optional.of(new ByCluster());
            case "namespace" -> Optional.of(new ByNamespace());
            case "workload" -> Optional.of(new ByWorkload());
            default ->
                text.startsWith("label:") && text.length() > "label:".length()
                        ? Optional.of(new ByLabel(text.substring("label:".length())))
                        : Optional.empty();
        };
    }

    /** Sums allocations per group, ordered by group name. */
    static Map<String, CostTotals> aggregate(Iterable<Allocation> allocations, Aggregation by) {
        Map<String, CostTotals> out = new TreeMap<>();
        for (Allocation a : allocations) {
            out.merge(by.keyOf(a), CostTotals.of(a), CostTotals::plus);
        }
        return out;
    }
}
