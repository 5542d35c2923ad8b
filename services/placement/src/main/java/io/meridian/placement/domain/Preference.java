package io.meridian.placement.domain;

import java.util.List;

/** Which candidates come first when more qualify than the policy needs. */
public sealed interface Preference {

    /** The workload's requests priced at each cluster's rates, cheapest first. */
    record Cheapest() implements Preference {}

    /** The most free allocatable CPU and memory first. */
    record MostFreeCapacity() implements Preference {}

    /** Clusters whose {@code label} comes earlier in {@code order} first; a cluster without it, last. */
    record LabelOrder(String label, List<String> order) implements Preference {

        public LabelOrder {
            order = List.copyOf(order);
        }
    }
}
