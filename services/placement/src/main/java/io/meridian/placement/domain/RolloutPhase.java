package io.meridian.placement.domain;

/** Where a rollout stands. */
public enum RolloutPhase {
    /** Every assigned cluster runs the target generation (or there was never more than one). */
    COMPLETED,
    /** A wave is being applied and its health gate awaited. */
    PROGRESSING,
    /** A wave completed; the next starts after the strategy's pause. */
    PAUSED,
    /** A cluster failed its health gate: clusters not yet reached keep the old generation until resume or rollback. */
    HALTED
}
