package io.meridian.placement.domain;

import java.util.Map;
import java.util.TreeMap;

/**
 * What each cluster is told to run of one workload right now, the rollout in course, and what was announced about
 * failover: the state the rollout planner carries from one step to the next (stored by the service, one row per
 * workload).
 *
 * @param failover never null; {@link FailoverLedger#EMPTY} when nothing was announced
 */
public record WorkloadProgress(RolloutState rollout, Map<String, Assignment> assignments, FailoverLedger failover) {

    public WorkloadProgress {
        assignments = java.util.Collections.unmodifiableMap(new TreeMap<>(assignments));
        failover = failover == null ? FailoverLedger.EMPTY : failover;
    }

    /** Progress with nothing announced about failover yet. */
    public WorkloadProgress(RolloutState rollout, Map<String, Assignment> assignments) {
        this(rollout, assignments, FailoverLedger.EMPTY);
    }
}
