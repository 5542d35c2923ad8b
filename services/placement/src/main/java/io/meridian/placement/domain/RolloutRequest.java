package io.meridian.placement.domain;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one step of the {@link RolloutPlanner} looks at: the workload as declared, the decision just made and
 * the one before it, what each cluster was told so far, what each cluster shows, an operator's command, and the time.
 *
 * @param previousDecision the decision stored before {@code decision}; null when there was none
 * @param progress null when the workload was never placed
 * @param observed by cluster id; a cluster without an entry has shown nothing of the workload yet
 * @param command null when no operator asked anything in this step
 */
public record RolloutRequest(
        Workload workload,
        PlacementDecision decision,
        PlacementDecision previousDecision,
        WorkloadProgress progress,
        Map<String, ClusterObservation> observed,
        RolloutCommand command,
        Instant now) {

    public RolloutRequest {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(now, "now");
        observed = observed == null ? Map.of() : Map.copyOf(observed);
    }
}
