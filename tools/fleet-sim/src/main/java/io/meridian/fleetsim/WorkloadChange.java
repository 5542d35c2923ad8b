package io.meridian.fleetsim;

/** A stored change of a Deployment or StatefulSet, as the API server's store reports it to the controllers. */
sealed interface WorkloadChange {

    WorkloadKey key();

    /**
     * The object was created or updated.
     *
     * @param generation {@code metadata.generation} as stored
     * @param observedGeneration {@code status.observedGeneration}, 0 when there is none
     */
    record Written(WorkloadKey key, long generation, long observedGeneration) implements WorkloadChange {

        /** The spec moved ahead of what the controller last acted on: a rollout to make. */
        boolean specAhead() {
            return generation > observedGeneration;
        }
    }

    /** The object is gone; {@code uid} says whose ReplicaSets and pods to collect. */
    record Deleted(WorkloadKey key, String uid) implements WorkloadChange {}
}
