package io.meridian.placement.messaging;

import io.smallrye.common.annotation.NonBlocking;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Membership of the group {@code placement-workload-owners} on placement's own {@code fleet.placement.v1}, whose
 * assigned partitions are the workloads this replica owns ({@link WorkloadOwnershipListener}, ADR 0011). The records
 * are this service's own output, which the owner already acted on: the channel exists for its assignment.
 */
public class WorkloadOwnershipConsumer {

    @Incoming("workload-owners")
    @NonBlocking
    public void onPlacementEvent(ConsumerRecord<String, byte[]> record) {
        // Nothing to do: see the class comment.
    }
}
