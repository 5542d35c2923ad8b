package io.meridian.placement.domain;

/**
 * What an operator tells a workload's rollout to do. A rollback is no command: the API stores the previous
 * generation's content as a newer generation, and the planner rolls it out like any other.
 */
public sealed interface RolloutCommand {

    /**
     * Retry the halted wave from now, with a fresh health timeout; ignored unless the rollout is halted. A cluster
     * that still reports {@code ProgressDeadlineExceeded} at the target halts it again at once: fix, then resume.
     */
    record Resume() implements RolloutCommand {}
}
