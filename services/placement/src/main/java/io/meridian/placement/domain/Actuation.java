package io.meridian.placement.domain;

import java.time.Instant;
import java.util.List;

/**
 * One step of the rollout planner: the progress to store, the events to publish with it, and when to look again
 * even if nothing happens (a pause ends, a health gate times out); null when only an event can move it.
 */
public record Actuation(WorkloadProgress next, List<PlacementEvent> events, Instant wakeAt) {

    public Actuation {
        events = List.copyOf(events);
    }
}
