package io.meridian.observability.domain;

import io.meridian.contracts.placement.FailoverSuppressed;
import io.meridian.contracts.placement.PlacementFact;
import io.meridian.contracts.placement.PlacementKey;
import io.meridian.contracts.placement.RolloutHalted;
import io.meridian.contracts.placement.WorkloadPlacement;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What {@code fleet.placement.v1} holds of one workload, one fact per key as compaction keeps them: its latest decision,
 * its latest rollout fact and its latest failover fact ({@code null} when there is none). A workload without a decision
 * is gone (or not read yet): it raises no alert, whatever its other keys still hold.
 */
public record WorkloadFacts(
        String workload, WorkloadPlacement decision, PlacementFact rollout, PlacementFact failover) {

    public WorkloadFacts {
        Objects.requireNonNull(workload, "workload");
    }

    /** A workload nothing is known of yet. */
    public static WorkloadFacts none(String workload) {
        return new WorkloadFacts(workload, null, null, null);
    }

    /** These facts with {@code fact} as the latest of its key. */
    public WorkloadFacts with(PlacementFact fact) {
        return switch (fact.placementKey().aspect()) {
            case DECISION -> new WorkloadFacts(workload, (WorkloadPlacement) fact, rollout, failover);
            case ROLLOUT -> new WorkloadFacts(workload, decision, fact, failover);
            case FAILOVER -> new WorkloadFacts(workload, decision, rollout, fact);
        };
    }

    /** These facts without the fact of one key (its tombstone). */
    public WorkloadFacts without(PlacementKey.Aspect aspect) {
        return switch (aspect) {
            case DECISION -> new WorkloadFacts(workload, null, rollout, failover);
            case ROLLOUT -> new WorkloadFacts(workload, decision, null, failover);
            case FAILOVER -> new WorkloadFacts(workload, decision, rollout, null);
        };
    }

    public boolean isEmpty() {
        return decision == null && rollout == null && failover == null;
    }

    /** Whether the workload is placed: it has a decision. */
    public boolean placed() {
        return decision != null;
    }

    /** Where the workload's rollout stands halted, if its latest rollout fact is a halt. */
    public Optional<RolloutHalted> halted() {
        return placed() && rollout instanceof RolloutHalted halted ? Optional.of(halted) : Optional.empty();
    }

    /**
     * The clusters whose loss a failover was held back for, sorted; empty when none. The decision carries a suppression
     * for as long as it holds; a suppression announced after the latest decision counts too, until a newer decision
     * says otherwise, so the alert never waits for a decision that placement publishes a moment later.
     */
    public List<String> suppressedFor() {
        if (!placed()) {
            return List.of();
        }
        if (decision.suppressed() != null) {
            return sorted(decision.suppressed().unreachableClusters());
        }
        if (failover instanceof FailoverSuppressed suppressed
                && decision.decidedAt() != null
                && suppressed.at() != null
                && suppressed.at().isAfter(decision.decidedAt())) {
            return sorted(suppressed.unreachableClusters());
        }
        return List.of();
    }

    /** Whether the workload's decision says Degraded. */
    public boolean degraded() {
        return placed() && decision.degraded();
    }

    /**
     * What the unmet rules of a Degraded workload are about, sorted: the subject each names before its colon ({@code
     * cloud} of {@code cloud: 1 of 2 (...)}, {@code region}, {@code clusters}, {@code replicas}), {@code spread} for a
     * rule said otherwise.
     */
    public List<String> unmetSubjects() {
        if (!degraded()) {
            return List.of();
        }
        TreeSet<String> subjects = new TreeSet<>();
        for (String rule : decision.unmetSpread()) {
            int colon = rule == null ? -1 : rule.indexOf(':');
            String subject = colon > 0 ? rule.substring(0, colon).strip() : "";
            subjects.add(subject.isEmpty() ? "spread" : subject);
        }
        return subjects.isEmpty() ? List.of("spread") : List.copyOf(subjects);
    }

    /** The clusters the workload failed over from and has not failed back to, sorted. */
    public List<String> displacedFrom() {
        if (!placed()) {
            return List.of();
        }
        return sorted(decision.displaced().stream()
                .map(WorkloadPlacement.Displacement::clusterId)
                .toList());
    }

    private static List<String> sorted(List<String> clusters) {
        return List.copyOf(
                new TreeSet<>(clusters.stream().filter(Objects::nonNull).toList()));
    }
}
